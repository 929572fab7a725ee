// The larger-text mode: a setting kept in storage, read by every page's root class.
import { reactive } from 'vue'

const KEY = 'mp.largeText'

export const settings = reactive({
  largeText: (() => {
    try {
      return uni.getStorageSync(KEY) === '1'
    } catch (e) {
      return false
    }
  })(),
})

export function setLargeText(on) {
  settings.largeText = !!on
  uni.setStorageSync(KEY, on ? '1' : '0')
}

export function pageClass() {
  return settings.largeText ? 'page page--large' : 'page'
}
