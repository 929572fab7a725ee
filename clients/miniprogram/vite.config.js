// Vite + uni-app: one source, two targets (`uni build -p mp-weixin`, `uni build` for h5).
// The API base URL comes from VITE_API_BASE at build time (see src/config.js).
import { defineConfig } from 'vite'
import uniPlugin from '@dcloudio/vite-plugin-uni'

const uni = uniPlugin.default || uniPlugin

// The H5 runtime's stylesheet preloads navigation-bar shadow images from DCloud's
// CDN (a `shadow-preload` animation fetches them 3 s after start). The client must
// talk to no host but the configured API, so those images become `none` (the
// shadows are not used by these pages). tests/no-foreign-hosts.test.js checks the
// built files for any other address.
const CDN_IMAGE = /url\(\s*["']?https?:\/\/cdn\.dcloud\.net\.cn\/[^)"']*["']?\s*\)/g

function noCdnAssets() {
  return {
    name: 'zhonglou-no-cdn-assets',
    enforce: 'post',
    generateBundle(options, bundle) {
      Object.values(bundle).forEach((file) => {
        if (file.type === 'asset' && typeof file.source === 'string') {
          file.source = file.source.replace(CDN_IMAGE, 'none')
        } else if (file.type === 'chunk') {
          file.code = file.code.replace(CDN_IMAGE, 'none')
        }
      })
    },
  }
}

export default defineConfig({
  plugins: [uni(), noCdnAssets()],
})
