// The words live in shared/ so `church config` names a field as the screen does; the UI reads them from here.
export { personMessage, ruleWords, type ValidationIssue } from '../../../shared/format/personWords';
