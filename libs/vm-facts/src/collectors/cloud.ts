import { readTrimmed, type Collector } from './collector';

/** DMI marks of the clouds Ohai detects without the network (its `*_metadata` probes are not made). */
const CLOUD_MARKS: readonly { provider: string; file: string; pattern: RegExp }[] = [
  { provider: 'ec2', file: 'sys_vendor', pattern: /^Amazon EC2$/ },
  { provider: 'ec2', file: 'bios_version', pattern: /amazon/i },
  { provider: 'gce', file: 'product_name', pattern: /^Google Compute Engine$/ },
  { provider: 'azure', file: 'chassis_asset_tag', pattern: /^7783-7084-3265-9085-8269-3286-77$/ },
  { provider: 'digital_ocean', file: 'sys_vendor', pattern: /^DigitalOcean$/ },
  { provider: 'openstack', file: 'product_name', pattern: /^OpenStack (Nova|Compute)$/ },
  { provider: 'alibaba', file: 'sys_vendor', pattern: /^Alibaba Cloud$/ },
  { provider: 'oci', file: 'chassis_asset_tag', pattern: /^OracleCloud\.com$/ },
  { provider: 'linode', file: 'sys_vendor', pattern: /^Linode$/ },
];

/**
 * The cloud this VM runs in, from DMI only (no metadata endpoint is queried): `provider` is null
 * off-cloud, where Ohai's `cloud` is null. Which DMI field matched is kept for the reader.
 */
export const cloud: Collector = async (context) => {
  const files = [...new Set(CLOUD_MARKS.map((mark) => mark.file))];
  const values = new Map(await Promise.all(files.map(async (file) => [file, (await readTrimmed(context, `sys/class/dmi/id/${file}`)) ?? ''] as const)));
  const match = CLOUD_MARKS.find((mark) => mark.pattern.test(values.get(mark.file) ?? ''));
  return { provider: match?.provider ?? null, detected_by: match ? `dmi ${match.file}` : null };
};
