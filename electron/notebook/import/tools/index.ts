import type { ToolImportReport, ToolImportRequest } from '../../../contract';
import { invalid } from '../../errors';

/** What the importers need of the notebook (filled in by Notebook.toolImportHost). */
export interface ToolImportHost {
  placeholder?: true;
}

export async function importFromTool(request: ToolImportRequest, _host: ToolImportHost): Promise<ToolImportReport> {
  throw invalid(`Importing from ${request.format} is not available yet.`);
}
