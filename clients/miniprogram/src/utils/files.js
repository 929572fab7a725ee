// Opening a file from the server (news attachments, the blank registration form,
// the stamped form): downloaded then shown by the mini program; in H5 the browser
// opens it. Only addresses on the API's host (apiUrl) get here.
export function openFile(url, name) {
  if (!url) {
    uni.showToast({ title: '文件地址无效', icon: 'none' })
    return
  }
  // #ifdef H5
  window.open(url, '_blank', 'noopener')
  // #endif
  // #ifndef H5
  uni.showLoading({ title: '正在打开' })
  uni.downloadFile({
    url,
    success(res) {
      uni.hideLoading()
      if (res.statusCode !== 200) {
        uni.showToast({ title: '文件下载失败', icon: 'none' })
        return
      }
      if (/\.(jpe?g|png)$/i.test(name || '')) uni.previewImage({ urls: [res.tempFilePath] })
      else uni.openDocument({ filePath: res.tempFilePath, showMenu: true })
    },
    fail() {
      uni.hideLoading()
      uni.showToast({ title: '网络连接失败，请重试', icon: 'none' })
    },
  })
  // #endif
}
