// A number field as the server wants it: digits become a number, blank becomes
// null, anything else is sent as typed so the server names the problem in Chinese
// ("需求人数应为整数") next to the field.
export function num(value) {
  const text = value === null || value === undefined ? '' : String(value).trim()
  if (text === '') return null
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : text
}

// The same for the talent-demand API, whose numbers are read as sent and checked by
// the service: a blank one goes as '' (the service says "请填写…"), never null.
export function raw(value) {
  const n = num(value)
  return n === null ? '' : n
}

export function text(value) {
  return value === null || value === undefined ? '' : String(value)
}
