package search

import (
	"reflect"
	"testing"
)

func TestIndex(t *testing.T) {
	got := Index("护士态度差，3号店 Refund 13812345678！")
	want := Doc{
		Bigrams:  "护士 士态 态度 度差 3 号店 refund 13812345678",
		Unigrams: "护 士 态 度 差 号 店",
	}
	if got != want {
		t.Fatalf("Index = %+v\nwant    %+v", got, want)
	}
	if got := Index("退"); got.Bigrams != "退" || got.Unigrams != "退" {
		t.Fatalf("a lone character: %+v", got)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		q    string
		want Query
	}{
		{"态度", Query{{Tokens: []string{"态度"}}}},
		{"退", Query{{Tokens: []string{"退"}, Unigram: true}}},
		{"服务差", Query{{Tokens: []string{"服务", "务差"}}}},
		{"退款 护士", Query{{Tokens: []string{"退款"}}, {Tokens: []string{"护士"}}}},
		{"1381234", Query{{Tokens: []string{"1381234"}, Prefix: true}}},
		{"3号店", Query{{Tokens: []string{"3", "号店"}}}},
		{`"收费 态度" 退`, Query{{Tokens: []string{"收费", "态度"}}, {Tokens: []string{"退"}, Unigram: true}}},
		{"TS202611-0001", Query{{Tokens: []string{"ts202611", "0001"}, Prefix: true}}},
		{"  ，。 ", nil},
	}
	for _, tt := range tests {
		if got := Parse(tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.q, got, tt.want)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		text, q string
		want    []Segment
	}{
		{"护士态度差，服务差", "服务差", []Segment{{"护士态度差，", false}, {"服务差", true}}},
		{"护士态度差", "态度 护士", []Segment{{"护士态度", true}, {"差", false}}},
		{"Order A1002 refund", "REFUND", []Segment{{"Order A1002 ", false}, {"refund", true}}},
		{"没有匹配", "退款", []Segment{{"没有匹配", false}}},
	}
	for _, tt := range tests {
		if got := Highlight(tt.text, Parse(tt.q)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Highlight(%q, %q) = %+v, want %+v", tt.text, tt.q, got, tt.want)
		}
	}
	s := Snippet("前面有很多很多很多很多很多很多的文字，然后护士态度差，后面还有很多很多很多很多的文字。", Parse("态度"), 16)
	if s[0].Text != "…" || s[len(s)-1].Text != "…" {
		t.Fatalf("snippet not cut on both sides: %+v", s)
	}
	found := false
	for _, seg := range s {
		found = found || seg.Match && seg.Text == "态度"
	}
	if !found {
		t.Fatalf("snippet lacks the match: %+v", s)
	}
}
