/** Names the machine a benchmark ran on: figures mean little without it. */
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: availableParallelism(),
    cpu: list[0]?.model.trim() || 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
  };
}
