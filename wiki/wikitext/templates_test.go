package wikitext

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// call is what a test expects of one template: its name and Map.
type call struct {
	Name string
	Args map[string]string
}

type args = map[string]string

var templateCases = []struct {
	name  string
	input string
	want  []call
}{
	{"none", "plain text", nil},
	{"simple", "{{Foo|a|b}}", []call{{"Foo", args{"1": "a", "2": "b"}}}},
	{"named trimmed, positional not", "{{Foo| a | b = c \n}}", []call{{"Foo", args{"1": " a ", "b": "c"}}}},
	{"last duplicate wins", "{{Foo|a=1|a=2|a = 3 }}", []call{{"Foo", args{"a": "3"}}}},
	{"explicit 1 after positional", "{{Foo|x|1=y}}", []call{{"Foo", args{"1": "y"}}}},
	{"positional after explicit 1", "{{Foo|1=y|x}}", []call{{"Foo", args{"1": "x"}}}},
	{"positional numbering skips named", "{{Foo|a|k=v|b}}", []call{{"Foo", args{"1": "a", "k": "v", "2": "b"}}}},
	{"explicit 2 and positional 2", "{{Foo| 2 = z |a|b}}", []call{{"Foo", args{"1": "a", "2": "b"}}}},
	{"empty args", "{{Foo||=|}}", []call{{"Foo", args{"1": "", "": "", "2": ""}}}},
	{"nested", "{{Foo|a={{Bar|{{Baz}}}}|b}}", []call{
		{"Foo", args{"a": "{{Bar|{{Baz}}}}", "1": "b"}},
		{"Bar", args{"1": "{{Baz}}"}},
		{"Baz", args{}},
	}},
	{"nested in name", "{{Foo|{{bar}}=baz}}", []call{{"Foo", args{"{{bar}}": "baz"}}, {"Bar", args{}}}},
	{"nested in title", "{{Foo{{bar}}|x}}", []call{{"Foo{{bar}}", args{"1": "x"}}, {"Bar", args{}}}},
	{"in tplarg default", "{{{a|{{Foo|x}}}}}", []call{{"Foo", args{"1": "x"}}}},
	{"tplarg in title", "{{{{{Foo}}}}}", []call{{"{{{Foo}}}", args{}}}},
	{"comments removed", "{{Foo<!--c-->|a<!--c-->=b<!--c-->|c<!--c-->}}", []call{{"Foo", args{"a": "b", "1": "c"}}}},
	{"comments removed in nested source", "{{Foo|a={{Bar<!--c-->}}}}", []call{{"Foo", args{"a": "{{Bar}}"}}, {"Bar", args{}}}},
	{"unclosed comment", "{{Foo|a}}<!--{{Bar}}", []call{{"Foo", args{"1": "a"}}}},
	{"comment swallows close", "{{Foo|a<!--}}-->|b}}", []call{{"Foo", args{"1": "a", "2": "b"}}}},
	{"noinclude markup removed", "{{Foo|a<noinclude>b</noinclude>|<includeonly>x</includeonly>c}}", []call{{"Foo", args{"1": "ab", "2": "c"}}}},
	{"nowiki hides", "{{Foo|<nowiki>{{Bar|x}}|y</nowiki>}}", []call{{"Foo", args{"1": "<nowiki>{{Bar|x}}|y</nowiki>"}}}},
	{"nowiki case-insensitive", "{{Foo|<NOWIKI>|</nowiki>}}", []call{{"Foo", args{"1": "<NOWIKI>|</nowiki>"}}}},
	{"nowiki self-closing", "{{Foo|a<nowiki/>|b}}", []call{{"Foo", args{"1": "a<nowiki/>", "2": "b"}}}},
	{"nowiki attributes", "{{Foo|<nowiki class=\"x\">}}</nowiki>}}", []call{{"Foo", args{"1": "<nowiki class=\"x\">}}</nowiki>"}}}},
	{"unclosed nowiki parses on", "{{Foo|<nowiki>|b}}", []call{{"Foo", args{"1": "<nowiki>", "2": "b"}}}},
	{"link pipes", "{{Foo|[[a|b]]|[[[[c]]|d]]}}", []call{{"Foo", args{"1": "[[a|b]]", "2": "[[[[c]]|d]]"}}}},
	{"link equals", "{{Foo|[[a=b]]}}", []call{{"Foo", args{"1": "[[a=b]]"}}}},
	{"name normalised", "{{ template : foo_bar  baz |x}}", []call{{"Foo bar baz", args{"1": "x"}}}},
	{"name first letter", "{{éclair}}{{Template:ñu}}{{TEMPLATE:x}}", []call{{"Éclair", args{}}, {"Ñu", args{}}, {"X", args{}}}},
	{"parser function", "{{#if: {{{a|}}} | yes | no }}", []call{{"#if: {{{a|}}}", args{"1": " yes ", "2": " no "}}}},
	{"magic word", "{{DISPLAYTITLE:foo_bar}}{{subst:foo}}", []call{{"DISPLAYTITLE:foo bar", args{}}, {"Subst:foo", args{}}}},
	{"heading inside", "{{Foo|\n== a ==\n}}", []call{{"Foo", args{"1": "\n== a ==\n"}}}},
	{"unclosed outer", "{{Foo|{{Bar|x}}", []call{{"Bar", args{"1": "x"}}}},
	{"stray closers", "}}{{Foo}}}}]]", []call{{"Foo", args{}}}},
	{"multiline registration", "{{Participant\n| username = Alice\n| languages = en, fr <!-- main first -->\n| 1 = first\n}}", []call{{"Participant", args{"username": "Alice", "languages": "en, fr", "1": "first"}}}},
}

func TestTemplates(t *testing.T) {
	for _, tc := range templateCases {
		t.Run(tc.name, func(t *testing.T) {
			var got []call
			for _, tpl := range Templates(tc.input) {
				got = append(got, call{tpl.Name, tpl.Map()})
				if tc.input[tpl.Offset:tpl.Offset+2] != "{{" {
					t.Errorf("offset %d of %s does not point at {{", tpl.Offset, tpl.Name)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Templates(%q)\n got %v\nwant %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestTemplateParams(t *testing.T) {
	tpls := Templates("{{Foo| a |b= c <!--x-->|1=d|b=e}}")
	if len(tpls) != 1 {
		t.Fatalf("got %d templates", len(tpls))
	}
	tpl := tpls[0]
	want := []Param{
		{Name: "1", Value: " a ", Positional: true},
		{Name: "b", Value: " c ", Positional: false},
		{Name: "1", Value: "d", Positional: false},
		{Name: "b", Value: "e", Positional: false},
	}
	if !reflect.DeepEqual(tpl.Params, want) {
		t.Errorf("Params = %#v, want %#v", tpl.Params, want)
	}
	if tpl.Offset != 0 {
		t.Errorf("Offset = %d", tpl.Offset)
	}
	if got := tpl.Get("1"); got != "d" {
		t.Errorf(`Get("1") = %q, want "d"`, got)
	}
	if got := tpl.Get("b"); got != "e" {
		t.Errorf(`Get("b") = %q, want "e"`, got)
	}
	if v, ok := tpl.Lookup("missing"); ok || v != "" {
		t.Errorf(`Lookup("missing") = %q, %v`, v, ok)
	}
}

func TestTemplateOffsets(t *testing.T) {
	text := "ab{{x|{{y}}}}\n{{{z|{{w}}}}}"
	var offsets []int
	for _, tpl := range Templates(text) {
		offsets = append(offsets, tpl.Offset)
	}
	want := []int{2, 6, 19}
	if !reflect.DeepEqual(offsets, want) {
		t.Errorf("offsets = %v, want %v", offsets, want)
	}
}

func TestNormalizeTemplateName(t *testing.T) {
	cases := map[string]string{
		"foo":                  "Foo",
		"  foo__bar ":          "Foo bar",
		"Template:foo":         "Foo",
		"template:foo":         "Foo",
		"Template : foo":       "Foo",
		"Template_:_foo":       "Foo",
		"TEMPLATE:foo":         "Foo",
		"Templates:foo":        "Templates:foo",
		":foo":                 ":foo",
		"#invoke:Mod|x":        "#invoke:Mod|x",
		"ßtraße":               "ßtraße",
		"ǆ":                    "Ǆ",
		"a\u00A0\u2003b":       "A b",
		"\u200Efoo\u200F":      "Foo",
		"User:foo":             "User:foo",
		"\n\tfoo\x00":          "Foo",
		"Template:Template:x":  "Template:x",
		"":                     "",
		"Template:":            "",
		"foo\xffbar":           "Foo\xffbar",
		"çà":                   "Çà",
		"DISPLAYTITLE:foo_bar": "DISPLAYTITLE:foo bar",
	}
	for in, want := range cases {
		if got := NormalizeTemplateName(in); got != want {
			t.Errorf("NormalizeTemplateName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteTemplatesJSON(t *testing.T) {
	var buf bytes.Buffer
	input := "{{Foo|b=2|a=1|x|b=3}} {{Bar|<b>\"\\\n</b>}}{{Baz}}"
	if err := WriteTemplatesJSON(&buf, input); err != nil {
		t.Fatal(err)
	}
	want := "[\n" +
		`{"name":"Foo","params":{"b":"3","a":"1","1":"x"}},` + "\n" +
		`{"name":"Bar","params":{"1":"<b>\"\\\n</b>"}},` + "\n" +
		`{"name":"Baz","params":{}}` + "\n" +
		"]\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	var decoded []struct {
		Name   string
		Params map[string]string
	}
	if err := json.Unmarshal(buf.Bytes(), &decoded); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if decoded[1].Params["1"] != "<b>\"\\\n</b>" {
		t.Errorf("round trip: %q", decoded[1].Params["1"])
	}

	buf.Reset()
	if err := WriteTemplatesJSON(&buf, "no templates"); err != nil || buf.String() != "[]\n" {
		t.Errorf("empty: %q, %v", buf.String(), err)
	}

	buf.Reset()
	if err := WriteTemplatesJSON(&buf, "{{F|\xff\x01\u2028}}"); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Errorf("invalid JSON for invalid UTF-8: %q", buf.String())
	}
	if want := "[\n{\"name\":\"F\",\"params\":{\"1\":\"\\ufffd\\u0001\\u2028\"}}\n]\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestTemplatesNestingLimit(t *testing.T) {
	depth := MaxTemplateNesting + 20
	text := strings.Repeat("{{a|<!---->", depth) + strings.Repeat("}}", depth)
	tpls := Templates(text)
	if len(tpls) != MaxTemplateNesting {
		t.Fatalf("%d templates, want %d", len(tpls), MaxTemplateNesting)
	}
	// The deepest reported call still shows what is nested in it.
	last := tpls[len(tpls)-1]
	if want := strings.Repeat("{{a|", 20) + strings.Repeat("}}", 20); last.Get("1") != want {
		t.Errorf("deepest value = %q, want %q", last.Get("1"), want)
	}
	// A tplarg counts as a level too.
	text = strings.Repeat("{{{a|", depth) + "{{b}}" + strings.Repeat("}}}", depth)
	if tpls := Templates(text); len(tpls) != 0 {
		t.Errorf("%d templates below %d tplargs", len(tpls), depth)
	}
}
