// Package i18n holds every user-visible string in Chinese (zh-CN, the
// default) and English, looked up by key.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

//go:embed locales/*.json
var files embed.FS

// Langs are the supported languages; the first is the default.
var Langs = []string{"zh-CN", "en"}

var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range Langs {
		data, err := files.ReadFile("locales/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			panic(fmt.Sprintf("i18n: locales/%s.json: %v", lang, err))
		}
		catalogs[lang] = m
	}
}

// Keys returns the keys of a language's catalog.
func Keys(lang string) []string {
	var out []string
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	return out
}

// Has reports whether key exists in the default catalog.
func Has(key string) bool { _, ok := catalogs[Langs[0]][key]; return ok }

// T returns the text of key in lang, formatted with args (fmt verbs),
// falling back to Chinese and then to the key itself.
func T(lang, key string, args ...any) string {
	s, ok := catalogs[Match(lang)][key]
	if !ok {
		if s, ok = catalogs[Langs[0]][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Match picks the supported language closest to lang ("en-US" → "en").
func Match(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if strings.HasPrefix(lang, "en") {
		return "en"
	}
	return Langs[0]
}

// FromRequest picks the language of a request: the "lang" cookie, then
// Accept-Language, then Chinese.
func FromRequest(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && c.Value != "" {
		return Match(c.Value)
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		if tag == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(tag), "zh") {
			return "zh-CN"
		}
		if strings.HasPrefix(strings.ToLower(tag), "en") {
			return "en"
		}
	}
	return Langs[0]
}
