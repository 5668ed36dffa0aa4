export declare const budget: { words: number; columns: number; codeLine: number };
export interface ReadmeMeasure { words: number; widestTable: number; longCodeLines: number[]; absolutePaths: number[] }
export declare function measureReadme(text: string): ReadmeMeasure;
export declare function breaches(m: ReadmeMeasure): string[];
export declare function lessonReadmes(root?: string): string[];
