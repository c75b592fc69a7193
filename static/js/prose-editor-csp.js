// The release body's editor under the site's Content-Security-Policy (style-src 'self').
//
// Loaded by django-prose-editor's "configurable" preset (see news/admin/widgets.py), which
// adds this extension by name. Two things would otherwise trip the policy:
// - Tiptap adds its base styles as an inline <style> element; the same rules come from
//   css/prose-editor-base.css instead.
// - Pasted HTML (Word, e-mail) is parsed in a document that shares the page's policy, so
//   every style attribute and <style> block in it is refused, with an error in the console.
//   They are dropped before parsing: the editor keeps none of them anyway, and the server's
//   sanitize() (news/html.py) decides what is stored.
import { Extension } from "django-prose-editor/editor"

const STYLE_BLOCK = /<style\b[\s\S]*?<\/style\s*>/gi
const TAG = /<[a-z][^<>]*>/gi
const STYLE_ATTRIBUTE = /\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)/gi

export function withoutInlineStyles(html) {
  return html
    .replace(STYLE_BLOCK, "")
    .replace(TAG, (tag) => tag.replace(STYLE_ATTRIBUTE, ""))
}

export const NoInlineStyles = Extension.create({
  name: "noInlineStyles",
  onBeforeCreate() {
    this.editor.options.injectCSS = false
  },
  transformPastedHTML(html) {
    return withoutInlineStyles(html)
  },
})
