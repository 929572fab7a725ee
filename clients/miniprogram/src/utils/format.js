// Dates as people read them here: 2026-03-05 14:20 (Beijing time, as the server sends it).
export function when(value) {
  if (!value) return ''
  const m = String(value).match(/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/)
  return m ? m[1] + ' ' + m[2] : String(value)
}

export function labelOf(options, code) {
  const o = (options || []).find((x) => x.code === code)
  return o ? o.label : code || ''
}
