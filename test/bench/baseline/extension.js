// The generator-code "Hello World" extension: the floor for activation time and heap.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, loaded without a build
const vscode = require('vscode');

exports.activate = function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('spheronBench.helloWorld', () => {
      void vscode.window.showInformationMessage('Hello World!');
    }),
  );
};

exports.deactivate = function deactivate() {};
