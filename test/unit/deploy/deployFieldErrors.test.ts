// A create the API refused with a 400: its words go next to the form field they are about.
import * as assert from 'node:assert/strict';
import { deployFieldErrorsFor } from '../../../src/core/deploy/deploySubmission';

describe('deploy form: a 400 next to its field', () => {
  const cases: [string, string | undefined][] = [
    ['authentication_config_b64 must be a base64 AuthenticationConfiguration', 'kubernetesAuthentication'],
    ['Invalid OIDC issuer URL', 'kubernetesAuthentication'],
    ['Kubernetes add-on is only available for CLUSTER instances', 'kubernetesAddon'],
    ['k8s version 1.20 is not supported', 'kubernetesAddon'],
    ['Region FIN-01 is not available for this cluster', 'region'],
    ['Operating system not supported', 'operatingSystem'],
    ['Invalid SSH public key', 'sshKey'],
    ['Volume must be in the same region', 'volumeIds'],
    ['Team ID is required', undefined],
  ];
  for (const [message, field] of cases) {
    it(`“${message}” → ${field ?? 'no field'}`, () => {
      assert.deepEqual(deployFieldErrorsFor(message), field ? { [field]: message } : {});
    });
  }
});
