"""The release body's rich-text editor in a real browser, under the site's CSP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from news.models import Release
from tests.factories import ReleaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password-1"

WORD_CLIPBOARD = (
    "<html><head><style>p.MsoNormal {margin:0cm}</style></head><body>"
    "<!--StartFragment-->"
    "<p class=MsoNormal style='margin:0cm'><b style='mso-bidi-font-weight:normal'>"
    "<span lang=RU style='font-size:14pt'>Итоги встречи</span></b><o:p></o:p></p>"
    "<ul><li class=MsoNormal style='mso-list:l0 level1 lfo1'>Первый пункт</li></ul>"
    "<!--EndFragment--></body></html>"
)


def watch_console(page) -> list[str]:
    """Every console error and CSP violation the page reports from now on."""
    problems: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    def on_console(message) -> None:
        # The browser asks every site for /favicon.ico; this one has none.
        if message.type == "error" and "favicon.ico" not in message.location["url"]:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_an_editor_formats_pastes_from_word_and_saves_clean_html(
    new_page, live_server, django_user_model
):
    # A superuser: the role groups' permissions do not survive another browser test's flush.
    chief = django_user_model.objects.create_superuser("chief", password=PASSWORD)
    release = ReleaseFactory(body="<p>Первый абзац.</p>", created_by=chief)

    page = new_page()
    problems = watch_console(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    change_url = live_server.url + reverse("admin:news_release_change", args=[release.pk])
    page.goto(change_url)

    # The toolbar offers what the server keeps, and nothing it would throw away.
    menu = page.locator(".prose-editor .prose-menubar")
    menu.wait_for()
    for name in ["bold", "italic", "underline", "strike", "bulletList", "orderedList", "link"]:
        assert menu.locator(f'[data-name="{name}"]').count() == 1, name
    assert page.locator(".prose-editor [data-name=heading1]").count() == 0
    assert page.locator("style[data-tiptap-style]").count() == 0

    editor = page.locator(".prose-editor [contenteditable=true]")
    paragraphs = editor.locator("p")
    # Each step waits for its effect: on a loaded machine a key can reach the editor
    # before it has taken in the previous one, and the text lands somewhere else.
    paragraphs.last.click()  # right of the short text: the caret goes to its end
    page.keyboard.press("End")
    page.wait_for_function(
        """() => {
          const s = getSelection();
          const p = document.querySelector(".prose-editor [contenteditable=true] p");
          if (!s.isCollapsed || !p.contains(s.focusNode)) return false;
          const rest = document.createRange();
          rest.setStart(s.focusNode, s.focusOffset);
          rest.setEnd(p, p.childNodes.length);
          return rest.toString() === "";
        }"""
    )
    page.keyboard.press("Enter")
    paragraphs.nth(1).wait_for()
    assert paragraphs.first.inner_text() == "Первый абзац."
    page.keyboard.press("Control+b")
    page.keyboard.type("Главное")
    page.keyboard.press("Control+b")
    page.keyboard.type(" и подробности.")
    editor.locator("p:nth-child(2)", has_text="Главное и подробности.").wait_for()
    page.keyboard.press("Enter")
    paragraphs.nth(2).wait_for()
    page.evaluate(
        """html => {
          const data = new DataTransfer();
          data.setData("text/html", html);
          data.setData("text/plain", "Итоги встречи");
          document.querySelector(".prose-editor [contenteditable=true]").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_CLIPBOARD,
    )
    assert "<strong>Главное</strong>" in page.input_value("#id_body")

    page.click('input[name="_continue"]')
    page.wait_for_url(change_url)
    release.refresh_from_db()
    body = release.body
    assert "<p>Первый абзац.</p>" in body
    assert "<p><strong>Главное</strong> и подробности.</p>" in body
    assert "<strong>Итоги встречи</strong>" in body
    assert "<li><p>Первый пункт</p></li>" in body
    for junk in ["Mso", "mso-", "style", "<span", "lang=", "o:p", "<!--"]:
        assert junk not in body, junk
    assert Release.objects.count() == 1
    assert problems == []
