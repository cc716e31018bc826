// Package wikitext reads and writes MediaWiki wikitext the way MediaWiki
// itself does: templates, escaping, titles, user names and signatures.
//
// # Parsing
//
// Parse is a port of MediaWiki 1.39's preprocessor: the method
// Preprocessor_Hash::buildDomTreeArrayFromText (reached through
// Preprocessor_Hash::preprocessToObj) in includes/parser/Preprocessor_Hash.php,
// together with PPDStack_Hash, PPDStackElement_Hash and PPDPart_Hash, and the
// brace rules of Preprocessor::$rules. It runs in the mode used for a page's
// own text (flags 0: not for inclusion, language conversion enabled), which is
// what action=parse&prop=parsetree returns. The port follows the PHP
// algorithm step by step, quirks included, so that a template, a comment or
// an extension tag is seen exactly where MediaWiki sees it: in unclosed or
// stray braces, in <nowiki> and the other extension tags whose content is not
// parsed, in "[[...|...]]" links whose pipes do not split template
// arguments, in headings, and so on. TestDifferentialParseTree compares the
// port against a running MediaWiki on thousands of generated inputs.
//
// The tree has the shape of MediaWiki's: a root holds text, template, tplarg,
// comment, ext, ignore and h nodes. A template or tplarg holds a title and
// parts; a part holds a name and a value (with a positional index when it
// has no "="). Unlike MediaWiki's XML, every node knows the byte range of the
// source it came from, and the tree is lossless: the source is rebuilt
// exactly from the nodes (see Node).
//
// # Templates
//
// Templates lists every template call MediaWiki's preprocessor finds, nested
// ones included, with their arguments. Template.Map applies the rules
// MediaWiki uses when it passes arguments to a template
// (PPFrame_Hash::newChild and PPTemplateFrame_Hash): named arguments have
// their names and values trimmed, positional ones keep their whitespace and
// are numbered 1, 2, 3... in the order of the unnamed parts, an explicit
// "1=" and the first positional argument are the same argument, and the last
// of duplicates wins. Comments, and the <includeonly> sections and
// <noinclude> and <onlyinclude> tags MediaWiki drops from a rendered page,
// are removed from names and values, as MediaWiki removes them when it
// expands arguments. Values are otherwise the raw wikitext: nested calls stay
// as they are written. Calls nested deeper than MaxTemplateNesting levels,
// which MediaWiki would not expand, are left out.
//
// Parser functions and magic words ({{#if:...}}, {{DISPLAYTITLE:...}},
// {{subst:...}}) are template nodes to the preprocessor too; MediaWiki only
// tells them apart later, when it expands them. Templates reports them like
// templates, with the whole title as their name (the text before the first
// "|", normalised like a template name, so "{{#if: x | y}}" is named
// "#if: x").
//
// # Writing
//
// Escape makes a participant-supplied value safe to put into wikitext the bot
// writes: it can no longer open or close any wikitext construct, and readers
// still see the original text because the dangerous characters become HTML
// numeric character references.
//
// # Titles, user names and signatures
//
// CheckTitle and CheckUserName say, without asking a wiki, whether a value
// can be a page title or a user name (MediaWikiTitleCodec's and
// UserNameUtils' rules that do not depend on a wiki's configuration;
// TestCheckTitleAgreesWithMediaWiki compares them with a running
// MediaWiki); NormalizeUser writes a user name as MediaWiki stores it.
// UserLinks finds the users a page's links name, only where MediaWiki
// renders links (not in comments, <nowiki> or <pre>), and RepliesAfter
// the signed replies under a message, as "~~~~" expands, by the same
// rule. They are pure functions of text, for the bot's domain as much as
// for its wiki client.
package wikitext
