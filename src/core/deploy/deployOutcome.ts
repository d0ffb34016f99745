// What the deploy form's outcome says once the create succeeded: it follows the instance's real
// status (from the Instances list), so it never says "takes a few minutes to start" to a running one.

/** The outcome text for a created deployment; `status` is undefined until the list shows it. */
export function createdOutcomeText(name: string, status: string | undefined): string {
  switch (status) {
    case 'running':
      return `Deployment "${name}" is running. Connect to it from the Instances view.`;
    case 'stopped':
      return `Deployment "${name}" was created and is now stopped; see it in the Instances view.`;
    case 'failed':
      return `Deployment "${name}" failed to start; see why in the Instances view.`;
    case 'terminated':
    case 'terminated-provider':
      return `Deployment "${name}" was created and has since been terminated${status === 'terminated-provider' ? ' by the provider' : ''}.`;
    case undefined:
    case 'deploying':
      return `Deployment "${name}" was created. It usually takes a few minutes to start; follow it in the Instances view.`;
    default:
      return `Deployment "${name}" was created; Spheron reports it as "${status}". Follow it in the Instances view.`;
  }
}
