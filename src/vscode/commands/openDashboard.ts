import * as vscode from 'vscode';
import type { SpheronCommand } from './types';

export const SPHERON_API_KEYS_URL = 'https://app.spheron.ai/settings?tab=api';

export const openDashboardCommand: SpheronCommand = {
  id: 'spheron.openDashboard',
  title: 'Open Dashboard',
  run: () => vscode.env.openExternal(vscode.Uri.parse(SPHERON_API_KEYS_URL)),
};
