export { Monitor, type MonitorDeps } from './Monitor';
export { SETTINGS_KEY, SMTP_SECRET, readMonitorSettings } from './monitorSettings';
export type { HostSampleSource, HostSampleSink } from './hostSampleSource';
export { HardwareReader, type HardwareReaderOptions } from './hardwareReader';
export { LinuxSampler, type StatFs, type StatFsResult } from './linux/LinuxSampler';
export { SystemInformationSampler } from './SystemInformationSampler';
export { RuleEngine, levelFor, type RuleEvent } from './rules';
export { MetricsExposition } from './prometheus';
export { StudioMetrics, LAB_AGENT_STATES, JOB_DURATION_BUCKETS, ENCODE_SPEED_BUCKETS, type StudioReadings, type LabAgentStateName } from './prometheusStudio';
export { parseNvidiaSmi, nvidiaSmiArgs, queryNvidiaSmi } from './nvidiaSmi';
export { sendAlertMail, buildAlertMail } from './emailChannel';
export { SampleRing } from './ringBuffer';
export { MinuteRollup, RETENTION_DAYS } from './store';
// What another source of samples (node_exporter, an agent) uses to describe a machine the way the monitor does.
export { toReadings } from './readings';
export type { Sampler, RawSample } from './sampler';
export { DATA_FS, isContainerInterface, isContainerMount } from './linux/parseProc';
export { classifyTemp } from './linux/sysfsSensors';
