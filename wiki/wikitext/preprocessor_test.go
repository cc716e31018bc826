package wikitext

import (
	"slices"
	"strings"
	"testing"
)

// parseTreeCases pin down the tree for constructs whose handling is easy to
// get wrong. Expected trees are in the canonical form of canonical_test.go,
// which is MediaWiki's parsetree XML without <equals>; the differential test
// sends every input here to MediaWiki as well.
var parseTreeCases = []struct {
	name, input, want string
}{
	{"plain", "hello", "<root>hello</root>"},
	{"empty", "", "<root/>"},
	{"template", "{{Foo|a|b=c}}", "<root><template><title>Foo</title><part><name index=\"1\"/><value>a</value></part><part><name>b</name>=<value>c</value></part></template></root>"},
	{"line start", "x\n{{Foo}}", "<root>x\n<template lineStart=\"1\"><title>Foo</title></template></root>"},
	{"nested in value", "{{Foo|{{bar}}=baz}}", "<root><template><title>Foo</title><part><name><template><title>bar</title></template></name>=<value>baz</value></part></template></root>"},
	{"nested title", "{{ {{a}} |x}}", "<root><template><title> <template><title>a</title></template> </title><part><name index=\"1\"/><value>x</value></part></template></root>"},
	{"tplarg default", "{{{param|default}}}", "<root><tplarg><title>param</title><part><name index=\"1\"/><value>default</value></part></tplarg></root>"},
	{"five braces", "{{{{{Foo}}}}}", "<root><template><title><tplarg><title>Foo</title></tplarg></title></template></root>"},
	{"four braces", "{{{{Foo}}}}", "<root>{<tplarg><title>Foo</title></tplarg>}</root>"},
	{"second equals is text", "{{a|b=c=d}}", "<root><template><title>a</title><part><name>b</name>=<value>c=d</value></part></template></root>"},
	{"equals in title", "{{a=b|c}}", "<root><template><title>a=b</title><part><name index=\"1\"/><value>c</value></part></template></root>"},
	{"link pipe", "{{Foo|[[a|b]]|c}}", "<root><template><title>Foo</title><part><name index=\"1\"/><value>[[a|b]]</value></part><part><name index=\"2\"/><value>c</value></part></template></root>"},
	{"nested link", "{{Foo|[[[[a]]|b]]}}", "<root><template><title>Foo</title><part><name index=\"1\"/><value>[[[[a]]|b]]</value></part></template></root>"},
	{"single bracket", "{{Foo|[a|b]}}", "<root><template><title>Foo</title><part><name index=\"1\"/><value>[a</value></part><part><name index=\"2\"/><value>b]</value></part></template></root>"},
	{"comment", "a<!-- x -->b", "<root>a<comment>&lt;!-- x --&gt;</comment>b</root>"},
	{"comment in name", "{{Foo<!-- x -->|a<!--y-->=b}}", "<root><template><title>Foo<comment>&lt;!-- x --&gt;</comment></title><part><name>a<comment>&lt;!--y--&gt;</comment></name>=<value>b</value></part></template></root>"},
	{"unclosed comment", "{{Foo|a<!-- }}", "<root>{{Foo|a<comment>&lt;!-- }}</comment></root>"},
	{"comment eats line", "a\n  <!-- x -->  \nb", "<root>a\n<comment>  &lt;!-- x --&gt;  \n</comment>b</root>"},
	{"comment run", "a\n<!--x--> <!--y-->\nb", "<root>a\n<comment>&lt;!--x--&gt; </comment><comment>&lt;!--y--&gt;\n</comment>b</root>"},
	{"nowiki", "{{Foo|<nowiki>}}|</nowiki>}}", "<root><template><title>Foo</title><part><name index=\"1\"/><value><ext><name>nowiki</name><attr/><inner>}}|</inner><close>&lt;/nowiki&gt;</close></ext></value></part></template></root>"},
	{"nowiki case", "<NoWiki a=b>{{x}}</NOWIKI >", "<root><ext><name>NoWiki</name><attr> a=b</attr><inner>{{x}}</inner><close>&lt;/NOWIKI &gt;</close></ext></root>"},
	{"nowiki self-closing", "{{a<nowiki/>|b}}", "<root><template><title>a<ext><name>nowiki</name><attr/></ext></title><part><name index=\"1\"/><value>b</value></part></template></root>"},
	{"unclosed nowiki", "<nowiki>{{a}}", "<root>&lt;nowiki&gt;<template><title>a</title></template></root>"},
	{"pre", "<pre>{{a}}</pre>", "<root><ext><name>pre</name><attr/><inner>{{a}}</inner><close>&lt;/pre&gt;</close></ext></root>"},
	{"unknown tag", "<ref>{{a}}</ref>", "<root>&lt;ref&gt;<template><title>a</title></template>&lt;/ref&gt;</root>"},
	{"heading", "== a ==\nb", "<root><h i=\"1\" level=\"2\">== a ==</h>\nb</root>"},
	{"heading comment", "== a == <!-- c -->\n", "<root><h i=\"1\" level=\"2\">== a == <comment>&lt;!-- c --&gt;</comment></h>\n</root>"},
	{"unbalanced heading", "=== a ==\n", "<root><h i=\"1\" level=\"2\">=== a ==</h>\n</root>"},
	{"equals line", "\n=====\n", "<root>\n<h i=\"1\" level=\"2\">=====</h>\n</root>"},
	{"heading in template", "{{a|\n== b ==\n}}", "<root><template><title>a</title><part><name index=\"1\"/><value>\n<possible-h i=\"1\" level=\"2\">== b ==</possible-h>\n</value></part></template></root>"},
	{"equals at line start", "{{a|b\n=c}}", "<root><template><title>a</title><part><name>b\n</name>=<value>c</value></part></template></root>"},
	{"includeonly", "a<includeonly>{{b}}</includeonly>c", "<root>a<ignore>&lt;includeonly&gt;{{b}}&lt;/includeonly&gt;</ignore>c</root>"},
	{"noinclude", "<noinclude>{{a}}</noinclude>", "<root><ignore>&lt;noinclude&gt;</ignore><template><title>a</title></template><ignore>&lt;/noinclude&gt;</ignore></root>"},
	{"onlyinclude", "<onlyinclude>x</onlyinclude>", "<root><ignore>&lt;onlyinclude&gt;</ignore>x<ignore>&lt;/onlyinclude&gt;</ignore></root>"},
	{"unclosed includeonly", "a<includeonly>{{b}}", "<root>a<ignore>&lt;includeonly&gt;{{b}}</ignore></root>"},
	{"unclosed template", "{{a|b=c", "<root>{{a|b=c</root>"},
	{"stray close", "a}}b", "<root>a}}b</root>"},
	{"stray close in template", "{{a|b}}}}", "<root><template><title>a</title><part><name index=\"1\"/><value>b</value></part></template>}}</root>"},
	{"language conversion", "-{a|b}-{{c}}", "<root>-{a|b}-<template><title>c</title></template></root>"},
	{"saved prefix", "-{{a}}", "<root>-<template><title>a</title></template></root>"},
	// Quirks of MediaWiki's algorithm, expectations copied from its output.
	{"<!---> ends a comment run", "a\n<!--a--><!--->\nb", "<root>a\n<comment>&lt;!--a--&gt;</comment><comment>&lt;!---&gt;\n</comment>b</root>"},
	{"<!---> alone is unclosed", "a\n<!--->\nb", "<root>a\n<comment>&lt;!---&gt;\nb</comment></root>"},
	{"includeonly end tag needed unless lower case", "<INCLUDEONLY>x", "<root>&lt;INCLUDEONLY&gt;x</root>"},
	{"pipes in language conversion", "{{a|-{b|c}-}}", "<root><template><title>a</title><part><name index=\"1\"/><value>-{b|c}-</value></part></template></root>"},
	{"saved prefix tplarg", "-{{{a}}}", "<root>-<tplarg><title>a</title></tplarg></root>"},
	{"saved prefix five braces", "-{{{{{a}}}}}", "<root>-<template><title><tplarg><title>a</title></tplarg></title></template></root>"},
	{"saved prefix becomes -{", "-{{{a}}-}", "<root>-{<template><title>a</title></template>-}</root>"},
	{"level 1 heading", "\n=a=\n", "<root>\n<h i=\"1\" level=\"1\">=a=</h>\n</root>"},
	{"two equals alone", "\n==\n", "<root>\n==\n</root>"},
	{"one equals alone", "\n=\n", "<root>\n=\n</root>"},
	{"level capped at 6", "\n======= a =======\n", "<root>\n<h i=\"1\" level=\"6\">======= a =======</h>\n</root>"},
	{"heading before comments", "== a ==<!--x--> <!--y-->  \nb", "<root><h i=\"1\" level=\"2\">== a ==<comment>&lt;!--x--&gt;</comment> <comment>&lt;!--y--&gt;</comment>  </h>\nb</root>"},
	{"empty names", "{{a|=b|c|=}}", "<root><template><title>a</title><part><name/>=<value>b</value></part><part><name index=\"1\"/><value>c</value></part><part><name/>=<value/></part></template></root>"},
	{"tplarg as title", "{{{{{a}}}|b}}", "<root><template><title><tplarg><title>a</title></tplarg></title><part><name index=\"1\"/><value>b</value></part></template></root>"},
	{"equals line in value", "{{a\n|b=\n=c\n}}", "<root><template><title>a\n</title><part><name>b</name>=<value>\n=c\n</value></part></template></root>"},
	{"blank before /> is attribute", "<nowiki / >x</nowiki>", "<root><ext><name>nowiki</name><attr> / </attr><inner>x</inner><close>&lt;/nowiki&gt;</close></ext></root>"},
	{"comment at text start keeps line", "<!--a-->\nb", "<root><comment>&lt;!--a--&gt;</comment>\nb</root>"},
	{"heading after eaten comment line", "a\n <!--x-->\n== b ==\n", "<root>a\n<comment> &lt;!--x--&gt;\n</comment><h i=\"1\" level=\"2\">== b ==</h>\n</root>"},
	{"heading in value", "{{a|b\n== c ==\n}}", "<root><template><title>a</title><part><name index=\"1\"/><value>b\n<possible-h i=\"1\" level=\"2\">== c ==</possible-h>\n</value></part></template></root>"},
	{"link closes inside template", "[[a|{{b|c]]}}", "<root>[[a|<template><title>b</title><part><name index=\"1\"/><value>c]]</value></part></template></root>"},
	{"template closes inside link", "{{a|[[b|c}}]]", "<root>{{a|[[b|c}}]]</root>"},
	{"whitespace in closing tag", "<pre\n>{{a}}</pre\n\t>", "<root><ext><name>pre</name><attr>\n</attr><inner>{{a}}</inner><close>&lt;/pre\n\t&gt;</close></ext></root>"},
	{"HTML tag is text", "{{a}}\n<h2>x</h2>", "<root><template><title>a</title></template>\n&lt;h2&gt;x&lt;/h2&gt;</root>"},
	{"tabs around eaten comment", "a\n\t<!--x-->\t\n", "<root>a\n<comment>\t&lt;!--x--&gt;\t\n</comment></root>"},
	{"eaten comment in value", "{{a|\n <!--x-->\n|b}}", "<root><template><title>a</title><part><name index=\"1\"/><value>\n<comment> &lt;!--x--&gt;\n</comment></value></part><part><name index=\"2\"/><value>b</value></part></template></root>"},
}

func TestParseTree(t *testing.T) {
	for _, tc := range parseTreeCases {
		t.Run(tc.name, func(t *testing.T) {
			tree := Parse(tc.input)
			if got := canonical(treeToX(tree)); got != tc.want {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tc.input, got, tc.want)
			}
			if err := checkTree(tree); err != nil {
				t.Errorf("Parse(%q): %v", tc.input, err)
			}
		})
	}
}

// handWrittenInputs are the unit tests' inputs, checked against MediaWiki
// by the differential test.
func handWrittenInputs() []string {
	var out []string
	for _, tc := range parseTreeCases {
		out = append(out, tc.input)
	}
	for _, tc := range templateCases {
		out = append(out, tc.input)
	}
	return out
}

// hostileInputs are inputs built to make a careless port take quadratic
// time or memory (anyone can edit the pages the bot reads), each repeating
// its pattern n times. The quadratic versions they guard against took
// minutes at n = 100,000.
func hostileInputs(n int) map[string]string {
	caseVariants := func() string {
		var b strings.Builder
		for k := range n {
			name := []byte("nowiki")
			for j := range name {
				if k>>j&1 == 1 {
					name[j] -= 'a' - 'A'
				}
			}
			b.WriteString("<" + string(name) + ">x")
		}
		return b.String()
	}
	return map[string]string{
		"run of closing braces":        strings.Repeat("{{{{{", n) + strings.Repeat("}}}}}", n),
		"nested templates":             strings.Repeat("{{a|", n) + strings.Repeat("}}", n),
		"nested templates w/ comments": strings.Repeat("{{a|<!---->", n) + strings.Repeat("}}", n),
		"nested links w/ comments":     strings.Repeat("[[<!---->", n) + strings.Repeat("]]", n),
		"partial link closes":          strings.Repeat("[", 2*n) + strings.Repeat("<!---->]]", n),
		"unclosed everything":          strings.Repeat("{{[[<!--|=}}]]-->\n==", n),
		"tag case variants":            caseVariants(),
		"unclosed templates":           strings.Repeat("{{a|b=", n),
		"headings in a template":       "{{a|" + strings.Repeat("\n==x", n),
		"language conversion":          strings.Repeat("-{", n) + strings.Repeat("}-", n),
	}
}

// BenchmarkParseHostile measures the hostile inputs at n = 100,000 (the
// size at which a quadratic parser took minutes).
func BenchmarkParseHostile(b *testing.B) {
	inputs := hostileInputs(100000)
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		text := inputs[name]
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for range b.N {
				Parse(text).Templates()
			}
		})
	}
}
