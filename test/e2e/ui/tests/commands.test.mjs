// Commands run from the command palette (F1), as a user runs them.
export default [
  {
    name: 'Spheron: Show Logs from the command palette shows the Spheron channel with the activated line',
    async run(t) {
      await t.open();
      await t.workbench.runCommand('Spheron: Show Logs');
      // The editor renders spaces as no-break spaces: match them with \s.
      await t.workbench.waitForOutput('Spheron', /Spheron\s\S+\sactivated/);
      await t.shot('logs');
    },
  },
];
