/** The part of 0x's programmatic API this lesson uses (0x ships no types). */
declare module '0x' {
  interface ZeroEksOptions {
    /** Node flags and script, as after `node` on a command line. */
    argv: string[];
    workingDir?: string;
    outputDir?: string;
    name?: string;
    title?: string;
    /** Called with the port the process listens on; call `done` when the load is over. */
    onPort?: (port: number, done: (error?: Error) => void) => void;
    collectOnly?: boolean;
    visualizeOnly?: string;
    pathToNodeBinary?: string;
    status?: (message: string) => void;
  }
  /** Resolves with the output folder (collect-only) or the flame graph's HTML path. */
  export default function zeroEks(options: ZeroEksOptions): Promise<string>;
}
