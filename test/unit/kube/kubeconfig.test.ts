import * as assert from 'node:assert/strict';
import {
  addSpheronKubeEntry,
  firstEntryFields,
  KubeconfigShapeError,
  removeSpheronKubeEntry,
  spheronKubeEntryNames,
  withServer,
} from '../../../src/core/kube/kubeconfig';
import { K3S_KUBECONFIG } from '../../support/kubeconfigFixtures';

// Shapes found in the wild: kubectl's own output (items at column 0), tools that indent list items
// (minikube, some cloud CLIs), comments and odd spacing, CRLF from Windows editors, empty lists
// written inline, a file without a final newline, and an empty file.
const KUBECTL = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tQ0EtLS0=
    server: https://10.0.0.1:6443
  name: prod
contexts:
- context:
    cluster: prod
    namespace: team-a
    user: prod-admin
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: prod-admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - eks
      - get-token
      command: aws
`;

const INDENTED = `# written by minikube
apiVersion: v1
kind: Config
clusters:
  - cluster:
      server: https://192.168.49.2:8443
      certificate-authority: /home/me/.minikube/ca.crt
    name: minikube
users:
  - name: minikube
    user:
      client-certificate: /home/me/.minikube/profiles/minikube/client.crt
contexts:
  # the local one
  - context:
      cluster: minikube
      user: minikube
    name: minikube
current-context: minikube
`;

const CRLF =
  'apiVersion: v1\r\nclusters:\r\n- cluster:\r\n    server: https://k.example:443\r\n  name: win\r\ncontexts: []\r\nusers: null\r\nkind: Config\r\n';
const NO_FINAL_NEWLINE = 'apiVersion: v1\nkind: Config\nclusters: []   # none yet\ncurrent-context: ""';

const ENTRY = {
  name: 'spheron-k8s-a',
  clusterLines: ['certificate-authority-data: QUJD', 'server: https://203.0.113.7:6443'],
  userLines: ['client-certificate-data: Q0VSVA==', 'client-key-data: S0VZ'],
};

/** Every line of `original` is in `edited`, in order: nothing of the user's was changed or dropped. */
function keepsEveryLine(original: string, edited: string): void {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const editedLines = edited.split(eol);
  let at = 0;
  for (const line of original.split(eol)) {
    if (/^(clusters|users|contexts): *(\[\]|null)/.test(line)) {
      // Kept inside our note on the key line, and restored on removal.
      continue;
    }
    const found = editedLines.indexOf(line, at);
    assert.ok(found >= 0, `line ${JSON.stringify(line)} is kept`);
    at = found + 1;
  }
}

describe('kubeconfig entries', () => {
  for (const [shape, original] of [
    ['kubectl output', KUBECTL],
    ['indented list items with comments', INDENTED],
  ] as const) {
    it(`adds and removes our context byte-exact on ${shape}`, () => {
      const added = addSpheronKubeEntry(original, ENTRY);
      keepsEveryLine(original, added);
      assert.deepEqual(spheronKubeEntryNames(added), ['spheron-k8s-a']);
      assert.equal(removeSpheronKubeEntry(added, ENTRY.name), original);
    });
  }

  it('uses the list’s own indentation, so the file stays valid YAML', () => {
    const added = addSpheronKubeEntry(INDENTED, ENTRY);
    assert.match(
      added,
      /^clusters:\n {2}# >>> spheron-vscode spheron-k8s-a \(managed, do not edit\) >>>\n {2}- cluster:\n {6}certificate-authority-data: QUJD\n {6}server: https:\/\/203\.0\.113\.7:6443\n {4}name: spheron-k8s-a\n {2}# <<< spheron-vscode spheron-k8s-a <<<\n {2}- cluster:\n/m,
    );
    assert.match(
      added,
      /^contexts:\n {2}# >>>[^\n]*\n {2}- context:\n {6}cluster: spheron-k8s-a\n {6}user: spheron-k8s-a\n {4}name: spheron-k8s-a\n/m,
    );
    const kubectl = addSpheronKubeEntry(KUBECTL, ENTRY);
    assert.match(
      kubectl,
      /^users:\n# >>>[^\n]*\n- name: spheron-k8s-a\n {2}user:\n {4}client-certificate-data: Q0VSVA==\n/m,
    );
  });

  it('leaves current-context alone', () => {
    assert.match(addSpheronKubeEntry(KUBECTL, ENTRY), /^current-context: prod$/m);
  });

  it('keeps CRLF line endings and turns inline empty lists into block lists', () => {
    const added = addSpheronKubeEntry(CRLF, ENTRY);
    assert.doesNotMatch(added.replace(/\r\n/g, ''), /\n/);
    assert.match(added, /\r\ncontexts: # spheron-vscode: was “contexts: \[\]”\r\n# >>>/);
    assert.match(added, /\r\nusers: # spheron-vscode: was “users: null”\r\n# >>>/);
    keepsEveryLine(CRLF, added);
    assert.equal(removeSpheronKubeEntry(added, ENTRY.name), CRLF);
  });

  it('adds missing lists at the end and keeps a file without a final newline that way', () => {
    const added = addSpheronKubeEntry(NO_FINAL_NEWLINE, ENTRY);
    assert.ok(!added.endsWith('\n'));
    assert.match(added, /\nusers: # spheron-vscode: added\n# >>>/);
    assert.match(added, /\ncontexts: # spheron-vscode: added\n# >>>/);
    assert.match(added, /^current-context: ""$/m);
    assert.equal(removeSpheronKubeEntry(added, ENTRY.name), NO_FINAL_NEWLINE);
  });

  it('writes a whole config into an empty file', () => {
    const added = addSpheronKubeEntry('', ENTRY);
    assert.match(added, /^apiVersion: v1\nkind: Config\nclusters: # spheron-vscode: added\n# >>>/);
    assert.ok(added.endsWith('<<<\n'));
  });

  it('replaces our entry rather than adding a second, and keeps other instances’ entries', () => {
    const first = addSpheronKubeEntry(KUBECTL, ENTRY);
    const other = addSpheronKubeEntry(first, { ...ENTRY, name: 'spheron-other' });
    const again = addSpheronKubeEntry(other, {
      ...ENTRY,
      clusterLines: ['server: https://203.0.113.8:6443'],
    });
    assert.deepEqual(spheronKubeEntryNames(again).sort(), ['spheron-k8s-a', 'spheron-other']);
    assert.equal(again.split('name: spheron-k8s-a').length - 1, 3);
    assert.match(again, /203\.0\.113\.8/);
    assert.equal(
      removeSpheronKubeEntry(removeSpheronKubeEntry(again, 'spheron-k8s-a'), 'spheron-other'),
      KUBECTL,
    );
  });

  it('refuses JSON, inline lists, broken markers and unsafe names without changing anything', () => {
    const refuses = (run: () => unknown) => assert.throws(run, KubeconfigShapeError);
    refuses(() => addSpheronKubeEntry('{"apiVersion":"v1","clusters":[]}', ENTRY));
    refuses(() => addSpheronKubeEntry('clusters: [{name: a}]\n', ENTRY));
    refuses(() => addSpheronKubeEntry(KUBECTL, { ...ENTRY, name: 'a b' }));
    refuses(() => addSpheronKubeEntry(KUBECTL, { ...ENTRY, userLines: ['token: a\nname: evil'] }));
    const broken = addSpheronKubeEntry(KUBECTL, ENTRY).replace(
      /^# <<< spheron-vscode spheron-k8s-a <<<\n/m,
      '',
    );
    refuses(() => removeSpheronKubeEntry(broken, ENTRY.name));
  });
});

describe('the kubeconfig fetched from the node', () => {
  const K3S = K3S_KUBECONFIG;
  const ADMIN_CONF = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: QURNSU4=
    server: https://10.1.2.3:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
users:
- name: kubernetes-admin
  user:
    client-certificate-data: QUQ=
    client-key-data: S0s=
`;

  it('reads the cluster and user fields of k3s.yaml and kubeadm’s admin.conf', () => {
    assert.deepEqual(firstEntryFields(K3S, 'clusters'), [
      'certificate-authority-data: LS0tLS1CRUdJTiBDRVJU',
      'server: https://127.0.0.1:6443',
    ]);
    assert.deepEqual(firstEntryFields(K3S, 'users'), [
      'client-certificate-data: Q0VSVA==',
      'client-key-data: S0VZ',
    ]);
    assert.deepEqual(firstEntryFields(ADMIN_CONF, 'users'), [
      'client-certificate-data: QUQ=',
      'client-key-data: S0s=',
    ]);
    assert.deepEqual(withServer(firstEntryFields(ADMIN_CONF, 'clusters'), 'https://203.0.113.7:6443'), [
      'certificate-authority-data: QURNSU4=',
      'server: https://203.0.113.7:6443',
    ]);
  });

  it('keeps nested fields with their indentation', () => {
    assert.deepEqual(firstEntryFields(KUBECTL, 'users'), [
      'exec:',
      '  apiVersion: client.authentication.k8s.io/v1beta1',
      '  args:',
      '  - eks',
      '  - get-token',
      '  command: aws',
    ]);
  });

  it('refuses a kubeconfig without clusters', () => {
    assert.throws(() => firstEntryFields('apiVersion: v1\nkind: Config\n', 'clusters'), KubeconfigShapeError);
  });
});
