import type { DashboardPanel } from '../dashboard-panel';
import type { CommandTable } from './register';

/** The progress dashboard. */
export function dashboardCommands(dashboard: DashboardPanel): CommandTable {
  return {
    'mlopsLabs.showProgress': () => dashboard.show(),
  };
}
