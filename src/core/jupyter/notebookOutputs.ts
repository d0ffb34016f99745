// Kernel outputs as the items of a notebook cell output: a mime type and its bytes, in the shapes
// VS Code's built-in renderers read (its stdout/stderr/error mimes, images as bytes, JSON as text).
// No vscode here: the wiring wraps each item in a NotebookCellOutputItem as it is.
import { mimeText, type CellOutput } from './kernelProtocol';

export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export interface OutputItem {
  readonly mime: string;
  readonly data: Uint8Array;
}

const encoder = new TextEncoder();

function textItem(mime: string, text: string): OutputItem {
  return { mime, data: encoder.encode(text) };
}

function isBinaryImage(mime: string): boolean {
  return mime.startsWith('image/') && mime !== 'image/svg+xml';
}

function isJson(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** The items of one output; mime values the kernel sent in a shape we cannot read are left out. */
export function outputItems(output: CellOutput): OutputItem[] {
  switch (output.kind) {
    case 'stream':
      return [textItem(output.name === 'stdout' ? STDOUT_MIME : STDERR_MIME, output.text)];
    case 'error':
      return [
        textItem(
          ERROR_MIME,
          JSON.stringify({ name: output.ename, message: output.evalue, stack: output.traceback.join('\n') }),
        ),
      ];
    case 'data':
      return Object.entries(output.data).flatMap(([mime, value]): OutputItem[] => {
        if (isJson(mime)) {
          return [textItem(mime, JSON.stringify(value))];
        }
        const text = mimeText(value);
        if (text === undefined) {
          return [];
        }
        // Images travel as base64 text; the renderer wants the bytes.
        return [isBinaryImage(mime) ? { mime, data: Buffer.from(text, 'base64') } : textItem(mime, text)];
      });
  }
}

/** The error output for a cell that could not run (no kernel, instance ended): no traceback. */
export function failureItem(name: string, message: string): OutputItem {
  return textItem(ERROR_MIME, JSON.stringify({ name, message, stack: '' }));
}

/**
 * What the cell shows of a line it read with `input()`, as Jupyter's own front ends show it: the
 * prompt and the line, as stdout. A password's line is never shown.
 */
export function inputEcho(prompt: string, line: string, password: boolean): CellOutput {
  return { kind: 'stream', name: 'stdout', text: `${prompt}${password ? '' : line}\n` };
}
