// What was typed survives a failed request, a closed app or a lost network:
// each form keeps its values in storage until the server accepted them.
const PREFIX = 'mp.draft.'

export function loadDraft(key, fallback) {
  try {
    const raw = uni.getStorageSync(PREFIX + key)
    if (raw) return JSON.parse(raw)
  } catch (e) {
    // an unreadable draft is dropped, the form starts blank
  }
  return fallback
}

export function saveDraft(key, value) {
  try {
    uni.setStorageSync(PREFIX + key, JSON.stringify(value))
  } catch (e) {
    // storage full: the form still works, only the draft is not kept
  }
}

export function clearDraft(key) {
  uni.removeStorageSync(PREFIX + key)
}
