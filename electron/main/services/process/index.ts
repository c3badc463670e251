export { runProcess, type RunOptions, type RunResult } from './runProcess';
