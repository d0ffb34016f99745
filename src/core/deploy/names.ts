// Deployment names: the rule we enforce and the default we suggest. Spheron treats the name as
// free text, but it becomes the SSH host alias and the label in every list, so we keep it to
// something that works as a host name.

export const DEPLOYMENT_NAME_MAX_LENGTH = 63;
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/** The name field's hint; it says why the rule differs from a volume's. */
export const DEPLOYMENT_NAME_HINT = `Letters, digits and hyphens (-); starts with a letter; up to ${DEPLOYMENT_NAME_MAX_LENGTH} characters. It becomes the SSH host name (spheron-<name>), so no underscores.`;

/** Why the name is not acceptable, or undefined when it is. */
export function deploymentNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return 'Enter a name.';
  }
  if (name.length > DEPLOYMENT_NAME_MAX_LENGTH) {
    return `Use at most ${DEPLOYMENT_NAME_MAX_LENGTH} characters (this has ${name.length}).`;
  }
  if (!/^[A-Za-z]/.test(name)) {
    return 'Start the name with a letter.';
  }
  if (!NAME_PATTERN.test(name)) {
    return 'Use only letters, digits and hyphens (-).';
  }
  if (name.endsWith('-')) {
    return 'End the name with a letter or digit.';
  }
  return undefined;
}

export function isValidDeploymentName(name: string): boolean {
  return deploymentNameProblem(name) === undefined;
}

function slugOf(gpuType: string): string {
  return gpuType
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A default name from the GPU type and 4 random hex digits: `H100_SXM5` → `h100-sxm5-7f3a`.
 * `random` returns values in [0, 1) (injectable for tests).
 */
export function suggestDeploymentName(gpuType: string, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')
    .slice(-4);
  let slug = slugOf(gpuType);
  if (!/^[a-z]/.test(slug)) {
    slug = slug ? `gpu-${slug}` : 'gpu';
  }
  const room = DEPLOYMENT_NAME_MAX_LENGTH - suffix.length - 1;
  slug = slug.slice(0, room).replace(/-+$/, '');
  return `${slug}-${suffix}`;
}

/** An instance that already holds a name: what the duplicate warning needs of it. */
export interface NamedInstance {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
}

const ENDED_STATUSES = new Set(['failed', 'terminated', 'terminated-provider']);

/**
 * A warning (not a refusal: Spheron accepts it) when another live instance already has this name,
 * compared as the SSH host name compares it (case-insensitive). `exceptId` is the instance being
 * renamed. Used by Rename and, later, the deploy form.
 */
export function duplicateNameWarning(
  name: string,
  instances: readonly NamedInstance[],
  exceptId?: string,
): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') {
    return undefined;
  }
  const holder = instances.find(
    (instance) =>
      instance.id !== exceptId &&
      !ENDED_STATUSES.has(instance.status) &&
      (instance.name ?? '').trim().toLowerCase() === wanted,
  );
  if (!holder) {
    return undefined;
  }
  return `Another instance (${holder.status}) is already called “${holder.name ?? name}”. Both will show under that name, and this one’s SSH host becomes spheron-${wanted}-<id> instead of spheron-${wanted}.`;
}
