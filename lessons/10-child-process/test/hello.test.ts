import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHelloChild, type HelloChild } from '../src/hello/master.ts';

describe('master/child over IPC', () => {
  let hello: HelloChild;
  beforeAll(async () => { hello = await startHelloChild(); });
  afterAll(async () => { await hello.close(); });

  it('runs the child in another process that answers a typed greeting', async () => {
    expect(hello.pid).not.toBe(process.pid);
    expect(await hello.greet('test')).toBe(`Hello, test, from child ${hello.pid}`);
  });

  it('pairs concurrent answers with their questions by id', async () => {
    const sums = await Promise.all([[1, 2], [10, 20], [100, 200]].map(([a, b]) => hello.add(a!, b!)));
    expect(sums).toEqual([3, 30, 300]);
  });

  it('pairs concurrent greetings with their names by id', async () => {
    const names = ['ann', 'bob', 'cy'];
    const texts = await Promise.all(names.map((name) => hello.greet(name)));
    expect(texts).toEqual(names.map((name) => `Hello, ${name}, from child ${hello.pid}`));
  });

  it('exits the child when the parent closes the channel', async () => {
    const other = await startHelloChild();
    await other.close();
    expect(other.child.exitCode).toBe(0);
  });
});
