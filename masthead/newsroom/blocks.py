"""StreamField blocks for an article body: paragraphs, subheadings, quotes and photos."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, help_text="Who said it, e.g. 'Ana Ruiz, nurse'.")

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/quote.html"


class PhotoBlock(blocks.StructBlock):
    photo = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False, max_length=400, help_text="Leave blank to use the photo's own caption."
    )
    credit = blocks.CharBlock(
        required=False, max_length=200, help_text="Leave blank to use the photo's own credit."
    )

    class Meta:
        icon = "image"
        template = "newsroom/blocks/photo.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="newsroom/blocks/paragraph.html"
    )
    subheading = blocks.CharBlock(
        max_length=200, form_classname="title", template="newsroom/blocks/subheading.html"
    )
    quote = QuoteBlock()
    photo = PhotoBlock()
