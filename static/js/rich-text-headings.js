// Headings of every level pasted from Word or WeChat become the body's two
// sub-heading levels (h1-h3 -> h3, h4-h6 -> h4), as bulletin/text.py's sanitiser
// maps them, instead of turning into plain paragraphs.
import { Heading as TiptapHeading } from "django-prose-editor/editor";

export const Heading = TiptapHeading.extend({
  parseHTML() {
    return [1, 2, 3, 4, 5, 6].map((level) => ({
      tag: `h${level}`,
      attrs: { level: level <= 3 ? 3 : 4 },
    }));
  },
});
