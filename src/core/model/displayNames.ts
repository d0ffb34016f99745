// Names for raw API values people read: `RTX4090_PCIE` is `RTX 4090 PCIe`, `DEDICATED` is
// `Dedicated`. The raw value stays in tooltips' ID lines, where someone may search for it.

/** Form factors and suffixes the API writes in capitals, as NVIDIA writes them. */
const SUFFIX_NAMES: Readonly<Record<string, string>> = {
  PCIE: 'PCIe',
  SXM: 'SXM',
  NVL: 'NVL',
};

/** Model families glued to their number in API ids: `RTX4090` → `RTX 4090`, `RTXPRO6000` → `RTX PRO 6000`. */
const FAMILY = /^(RTX ?PRO|RTX|GTX)(\d.*)$/;

function wordName(word: string): string {
  const suffix = SUFFIX_NAMES[word];
  if (suffix) {
    return suffix;
  }
  const family = FAMILY.exec(word);
  if (family?.[1] && family[2]) {
    return `${family[1].replace(/RTX ?PRO/, 'RTX PRO')} ${family[2]}`;
  }
  return word;
}

/**
 * A GPU type as people write it: `H100_SXM5` → `H100 SXM5`, `RTX4090_PCIE` → `RTX 4090 PCIe`,
 * `A100_80G_SXM4` → `A100 80G SXM4`. Text that already has spaces (a display name) is kept.
 */
export function gpuTypeDisplayName(raw: string): string {
  const text = raw.trim();
  if (text === '' || /\s/.test(text)) {
    return text;
  }
  return text
    .split(/[_-]+/)
    .filter((word) => word !== '')
    .map(wordName)
    .join(' ');
}

const INSTANCE_TYPE_NAMES: Readonly<Record<string, string>> = {
  DEDICATED: 'Dedicated',
  SPOT: 'Spot',
  CLUSTER: 'Cluster',
};

/**
 * `Dedicated`, `Spot`, `Cluster`; an unknown type is shown as the API sent it. Imports nothing, so
 * the deploy form's webview bundle can use it too.
 */
export function instanceTypeDisplayName(raw: string): string {
  return INSTANCE_TYPE_NAMES[raw.toUpperCase()] ?? raw;
}

/**
 * A GPU model name for a narrow row: the vendor and brand prefixes go (`NVIDIA GeForce RTX 4090`
 * → `RTX 4090`), so the price beside it is not cut off. Tooltips keep the full name.
 */
export function shortGpuName(name: string): string {
  const short = name.replace(/^(NVIDIA\s+)?(GeForce\s+)?/i, '').trim();
  return short === '' ? name : short;
}
