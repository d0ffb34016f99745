// Entry point of `npm run smoke:live` (see smokeLive.ts).
import { API_KEY_ENV_VAR } from '../src/core/account/apiKey';
import { runSmokeLive, smokeBaseUrl } from './smokeLive';

runSmokeLive({
  baseUrl: smokeBaseUrl(process.env),
  apiKey: process.env[API_KEY_ENV_VAR]?.trim() || undefined,
  print: (line) => console.log(line),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`smoke:live stopped: ${error instanceof Error ? error.name : 'error'}`);
    process.exit(1);
  },
);
