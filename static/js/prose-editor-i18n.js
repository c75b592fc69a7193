// The release body's toolbar in the admin's language. django-prose-editor passes its dialogs'
// words through Django's gettext (the admin's jsi18n catalogue) but writes the toolbar's titles
// in English ("bold", "Heading 2"): they are translated here, as the menu appears.
;(() => {
  // Django's jsi18n defines these globally; without it the toolbar stays as it is.
  const gettext = window.gettext || ((text) => text)
  const gettext_noop = (text) => text
  const interpolate = window.interpolate || ((format, values) => format.replace("%s", values[0]))

  const TITLES = {
    bold: gettext_noop("bold"),
    italic: gettext_noop("italic"),
    underline: gettext_noop("underline"),
    strike: gettext_noop("strike"),
    subscript: gettext_noop("subscript"),
    superscript: gettext_noop("superscript"),
    blockquote: gettext_noop("blockquote"),
    "horizontal rule": gettext_noop("horizontal rule"),
    "unordered list": gettext_noop("unordered list"),
    "ordered list": gettext_noop("ordered list"),
    "insert link": gettext_noop("insert link"),
    "remove link": gettext_noop("remove link"),
    "edit HTML": gettext_noop("edit HTML"),
    paragraph: gettext_noop("paragraph"),
    Paragraph: gettext_noop("Paragraph"),
    undo: gettext_noop("undo"),
    redo: gettext_noop("redo"),
    "Insert table": gettext_noop("Insert table"),
    "Add column": gettext_noop("Add column"),
    "Add row": gettext_noop("Add row"),
    "Delete column": gettext_noop("Delete column"),
    "Delete row": gettext_noop("Delete row"),
    "Delete table": gettext_noop("Delete table"),
    "Merge cells": gettext_noop("Merge cells"),
    "Split cell": gettext_noop("Split cell"),
    "Toggle header cell": gettext_noop("Toggle header cell"),
    "Add caption": gettext_noop("Add caption"),
    "Remove caption": gettext_noop("Remove caption"),
    "Toggle fullscreen": gettext_noop("Toggle fullscreen"),
    Styles: gettext_noop("Styles"),
  }
  // The words of the editor's dialogs, which it translates itself: listed for makemessages.
  gettext_noop("Image URL")
  gettext_noop("Alternative Text")
  gettext_noop("Caption")
  gettext_noop("Edit Figure")
  gettext_noop("Insert Figure")
  gettext_noop("Update")
  gettext_noop("Insert")
  gettext_noop(
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.",
  )
  gettext_noop("Edit HTML")
  gettext_noop("Prettify")
  gettext_noop("URL")
  gettext_noop("Title")
  gettext_noop("Open in new window")
  gettext_noop("Edit Link")
  gettext_noop("List properties")
  gettext_noop("Decimal numbers")
  gettext_noop("Lowercase letters")
  gettext_noop("Uppercase letters")
  gettext_noop("Lowercase Roman numerals")
  gettext_noop("Uppercase Roman numerals")
  gettext_noop("Start at")
  gettext_noop("List type")
  gettext_noop("Rows")
  gettext_noop("Columns")
  gettext_noop("Include header row")
  gettext_noop("Table Properties")
  gettext_noop("Insert Table")
  gettext_noop("Cancel")
  gettext_noop("Delete")
  gettext_noop("Browse...")

  const HEADING = /^Heading (\d)$/

  function translated(text) {
    if (Object.hasOwn(TITLES, text)) return gettext(TITLES[text])
    const heading = HEADING.exec(text)
    return heading ? interpolate(gettext("Heading %s"), [heading[1]]) : null
  }

  function translate(root) {
    for (const element of root.querySelectorAll(".prose-menubar *")) {
      for (const attribute of ["title", "aria-label"]) {
        const text = element.getAttribute(attribute)
        const word = text && translated(text)
        if (word) element.setAttribute(attribute, word)
      }
      // Only the block-type menu's own words: a button's text is its icon's name ("undo").
      const text = element.childElementCount === 0 ? element.textContent.trim() : ""
      if (text === "Paragraph" || HEADING.test(text)) element.textContent = translated(text)
    }
  }

  new MutationObserver(() => translate(document)).observe(document.documentElement, {
    childList: true,
    subtree: true,
  })
  document.addEventListener("DOMContentLoaded", () => translate(document))
})()
