package server_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/server"
	"github.com/ombud/ombud/internal/store"
	"github.com/ombud/ombud/internal/store/storetest"
)

// startPublic starts Ombud on dsn with a data directory for files and
// the given public rate limits, and returns its base URL.
func startPublic(t *testing.T, dsn string, limits api.PublicLimits) string {
	t.Helper()
	return runServer(t, server.Config{Addr: "127.0.0.1:0", DB: dsn, DataDir: t.TempDir(), Pack: "hospital-taicang",
		AdminPassword: "admin-pass-1", PublicLimits: limits})
}

// generous are limits no test reaches.
var generous = api.PublicLimits{RequestsPerMinute: 6000, RequestBurst: 1000, RegistrationsPerHour: 6000, RegistrationBurst: 1000}

func publicCase() map[string]any {
	return map[string]any{
		"kind": "complaint", "category": "attitude",
		"subject":         "挂号窗口态度生硬",
		"content":         "今天上午在门诊一楼挂号，窗口工作人员不耐烦，大声呵斥。",
		"complainant":     map[string]any{"name": "陈女士", "phone": "13812345678"},
		"privacy_consent": true,
	}
}

// withCode does a request with the access code header.
func (c *client) withCode(method, path, code string, body any) response {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if code != "" {
		req.Header.Set("X-Access-Code", code)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	return c.send(req)
}

func (c *client) send(req *http.Request) response {
	c.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{Status: resp.StatusCode, Raw: string(raw)}
	json.Unmarshal(raw, &out.Body)
	return out
}

type file struct {
	field, name string
	data        []byte
}

// multipartPost posts fields and files as multipart/form-data.
func (c *client) multipartPost(path string, fields map[string]string, files ...file) response {
	c.t.Helper()
	return c.send(c.multipartRequest(path, fields, files...))
}

// multipartRequest is a POST of fields and files as multipart/form-data.
func (c *client) multipartRequest(path string, fields map[string]string, files ...file) *http.Request {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		w.WriteField(k, fields[k])
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile(f.field, f.name)
		fw.Write(f.data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return req
}

func pngFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func keys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// publicKeys are exactly the fields the public view has: nothing of the
// staff, the handling or anyone's contact data.
var publicKeys = []string{"attachments", "can_message", "can_rate", "due_at", "kind", "messages", "number", "registered_at",
	"replied_at", "reply", "satisfaction", "status", "status_text", "subject"}

func TestPublicAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		base := startPublic(t, dsn, generous)
		pub := &client{t: t, base: base}

		// Register: the number and the access code, nothing else.
		r := pub.must(201, "POST", "/api/v1/public/cases", publicCase())
		if got := keys(r.Body); !slices.Equal(got, []string{"access_code", "number"}) {
			t.Fatalf("registration answer has keys %v", got)
		}
		number, code := r.Body["number"].(string), r.Body["access_code"].(string)
		if !strings.HasPrefix(number, "TS") || len(code) != 14 {
			t.Fatalf("registered %s with code %q", number, code)
		}

		// Track: exactly the public fields.
		r = pub.withCode("GET", "/api/v1/public/cases/"+number, code, nil)
		if r.Status != 200 {
			t.Fatalf("track: %d %s", r.Status, r.Raw)
		}
		if got := keys(r.Body); !slices.Equal(got, publicKeys) {
			t.Fatalf("public view has keys %v, want exactly %v", got, publicKeys)
		}
		for _, secret := range []string{"13812345678", "138****5678", "陈女士", "yhb", "jiancha", "今天上午", "public", "clerk"} {
			if strings.Contains(r.Raw, secret) {
				t.Errorf("the public view shows %q: %s", secret, r.Raw)
			}
		}
		if r.Body["status"] != "received" || r.Body["status_text"] != "已收到，等待受理" || r.Body["can_rate"] != false ||
			r.Body["due_at"] == nil || r.Body["reply"] != "" || r.Body["replied_at"] != nil || len(r.Body["attachments"].([]any)) != 0 {
			t.Fatalf("public view: %s", r.Raw)
		}
		pub.lang = "en"
		if r := pub.withCode("GET", "/api/v1/public/cases/"+number, strings.ToLower(code), nil); r.Body["status_text"] != "Received, awaiting acceptance" {
			t.Errorf("in English: %s", r.Raw)
		}
		pub.lang = ""

		// A wrong code, no code, another number: all the same 404.
		other := pub.must(201, "POST", "/api/v1/public/cases", publicCase())
		for _, tc := range []struct{ number, code string }{
			{number, "2345-6789-ABCD"}, {number, ""}, {"TS190001-0001", code}, {other.Body["number"].(string), code},
		} {
			r := pub.withCode("GET", "/api/v1/public/cases/"+tc.number, tc.code, nil)
			if r.Status != 404 || r.errCode() != "not_found" {
				t.Errorf("track %s with %q: %d %s", tc.number, tc.code, r.Status, r.Raw)
			}
		}

		// Invalid submissions name their fields.
		for _, tc := range []struct {
			name  string
			edit  func(map[string]any)
			field string
		}{
			{"no consent", func(m map[string]any) { delete(m, "privacy_consent") }, "privacy_consent"},
			{"consent refused", func(m map[string]any) { m["privacy_consent"] = false }, "privacy_consent"},
			{"long content", func(m map[string]any) { m["content"] = strings.Repeat("长", 5001) }, "content"},
			{"long subject", func(m map[string]any) { m["subject"] = strings.Repeat("长", 201) }, "subject"},
			{"unknown kind", func(m map[string]any) { m["kind"] = "praise" }, "kind"},
			{"unknown category", func(m map[string]any) { m["category"] = "parking" }, "category"},
			{"staff's channel", func(m map[string]any) { m["channel"] = "media" }, "channel"},
			{"staff's field", func(m map[string]any) { m["level"] = "1" }, "level"},
			{"nobody", func(m map[string]any) { m["complainant"] = map[string]any{} }, "complainant.name"},
		} {
			body := publicCase()
			tc.edit(body)
			r := pub.must(400, "POST", "/api/v1/public/cases", body)
			if r.errCode() != "invalid_input" || r.errFields()[tc.field] == nil {
				t.Errorf("%s: %s", tc.name, r.Raw)
			}
		}
		if r := pub.must(400, "POST", "/api/v1/public/cases", map[string]any{"privacy_consent": true}); !strings.Contains(r.Raw, "必填") {
			t.Errorf("empty submission: %s", r.Raw)
		}
		pub.must(400, "POST", "/api/v1/public/cases", `{not json`)

		// Multipart with a photo: stored, counted as evidence, listed.
		photo := pngFile(t)
		fields := map[string]string{"kind": "complaint", "subject": "候诊区地面湿滑", "content": "候诊区地面有水，老人差点滑倒，见照片。",
			"complainant.anonymous": "true", "privacy_consent": "true"}
		r = pub.multipartPost("/api/v1/public/cases", fields, file{"attachments", "地面.png", photo})
		if r.Status != 201 {
			t.Fatalf("multipart: %d %s", r.Status, r.Raw)
		}
		withPhoto, photoCode := r.Body["number"].(string), r.Body["access_code"].(string)
		r = pub.withCode("GET", "/api/v1/public/cases/"+withPhoto, photoCode, nil)
		atts, _ := r.Body["attachments"].([]any)
		if len(atts) != 1 {
			t.Fatalf("attachments: %s", r.Raw)
		}
		if a := atts[0].(map[string]any); !slices.Equal(keys(a), []string{"name", "size"}) || a["name"] != "地面.png" || a["size"] != float64(len(photo)) {
			t.Errorf("attachment %v", a)
		}
		staff := &client{t: t, base: base}
		r = staff.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
		staff.token, _ = r.Body["token"].(string)
		r = staff.must(200, "GET", "/api/v1/cases/"+withPhoto, nil)
		// Staff see the attachment in the API, with what it takes to fetch it.
		if sa, _ := r.Body["attachments"].([]any); len(sa) != 1 || sa[0].(map[string]any)["name"] != "地面.png" ||
			sa[0].(map[string]any)["content_type"] != "image/png" || sa[0].(map[string]any)["id"] == nil {
			t.Errorf("staff attachments: %v", r.Body["attachments"])
		}
		if ev, _ := r.Body["evidence"].([]any); len(ev) != 1 || ev[0].(map[string]any)["type"] != "photo" || ev[0].(map[string]any)["count"] != 1.0 {
			t.Errorf("evidence of the case with a photo: %v", r.Body["evidence"])
		}
		if r.Body["registered_by"] != "public" || r.Body["channel"] != "web" {
			t.Errorf("registered by %v through %v", r.Body["registered_by"], r.Body["channel"])
		}

		// Files that are not what they say, too many, or unknown fields: 400 naming the field.
		for _, tc := range []struct {
			name   string
			fields map[string]string
			files  []file
			field  string
		}{
			{"html as png", fields, []file{{"attachments", "x.png", []byte("<html><script>alert(1)</script></html>")}}, "attachments"},
			{"program", fields, []file{{"attachments", "setup.exe", []byte("MZ\x90\x00\x03")}}, "attachments"},
			{"six files", fields, slices.Repeat([]file{{"attachments", "p.png", photo}}, 6), "attachments"},
			{"other file field", fields, []file{{"photo", "p.png", photo}}, "photo"},
			{"unknown field", map[string]string{"privacy_consent": "true", "level": "1"}, nil, "level"},
			{"consent not a yes", map[string]string{"privacy_consent": "perhaps"}, nil, "privacy_consent"},
		} {
			r := pub.multipartPost("/api/v1/public/cases", tc.fields, tc.files...)
			if r.Status != 400 || r.errFields()[tc.field] == nil {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
			}
		}

		// Rating: only once replied.
		rate := func(number, code string, body any) response {
			return pub.withCode("POST", "/api/v1/public/cases/"+number+"/rating", code, body)
		}
		if r := rate(number, code, map[string]any{"satisfaction": "satisfied"}); r.Status != 409 || r.errCode() != "invalid_transition" {
			t.Fatalf("rating before the reply: %d %s", r.Status, r.Raw)
		}
		staff.must(200, "POST", "/api/v1/cases/"+number+"/actions/accept", nil)
		staff.must(200, "POST", "/api/v1/cases/"+number+"/actions/reply", map[string]any{"reply": "已批评教育当班人员，向您致歉。", "method": "web"})
		r = pub.withCode("GET", "/api/v1/public/cases/"+number, code, nil)
		if r.Body["status"] != "replied" || r.Body["reply"] != "已批评教育当班人员，向您致歉。" || r.Body["can_rate"] != true ||
			r.Body["replied_at"] == nil || r.Body["due_at"] != nil {
			t.Fatalf("replied: %s", r.Raw)
		}
		if r := rate(number, "2345-6789-ABCD", map[string]any{"satisfaction": "satisfied"}); r.Status != 404 {
			t.Errorf("rating with a wrong code: %d", r.Status)
		}
		if r := rate(number, code, map[string]any{"satisfaction": "unreachable"}); r.Status != 400 || r.errFields()["satisfaction"] == nil {
			t.Errorf("unreachable: %d %s", r.Status, r.Raw)
		}
		if r := rate(number, code, map[string]any{"satisfaction": "satisfied", "stars": 5}); r.Status != 400 || r.errFields()["stars"] == nil {
			t.Errorf("unknown field: %d %s", r.Status, r.Raw)
		}
		r = rate(number, code, map[string]any{"satisfaction": "basically_satisfied", "note": "希望以后改进"})
		if r.Status != 200 || r.Body["status"] != "closed" || r.Body["satisfaction"] != "basically_satisfied" || r.Body["can_rate"] != false {
			t.Fatalf("rated: %d %s", r.Status, r.Raw)
		}
		if got := keys(r.Body); !slices.Equal(got, publicKeys) {
			t.Errorf("rating answer has keys %v", got)
		}
		r = staff.must(200, "GET", "/api/v1/cases/"+number, nil)
		events := r.Body["events"].([]any)
		if last := events[len(events)-1].(map[string]any); last["type"] != "visit" || last["actor"] != "complainant" {
			t.Errorf("last event %v", last)
		}
	})
}

func TestPublicAPIRateLimits(t *testing.T) {
	dsn := t.TempDir() + "/ombud.db"
	// Six requests at once, two registrations; nothing refills during the test.
	base := startPublic(t, dsn, api.PublicLimits{RequestsPerMinute: 0.001, RequestBurst: 6,
		RegistrationsPerHour: 0.001, RegistrationBurst: 2})
	c := &client{t: t, base: base}
	// An invalid submission spends a request but not a registration.
	c.must(400, "POST", "/api/v1/public/cases", map[string]any{"subject": "x"})
	r := c.must(201, "POST", "/api/v1/public/cases", publicCase())
	number, code := r.Body["number"].(string), r.Body["access_code"].(string)
	c.must(201, "POST", "/api/v1/public/cases", publicCase())
	r = c.must(429, "POST", "/api/v1/public/cases", publicCase())
	if r.errCode() != "rate_limited" || !strings.Contains(r.Raw, "请求过于频繁，请稍后再试") {
		t.Fatalf("429 body: %s", r.Raw)
	}
	// Tracking and rating share the request budget: two more, then 429.
	for i := range 3 {
		r := c.withCode("GET", "/api/v1/public/cases/"+number, code, nil)
		want := 200
		if i == 2 {
			want = 429
		}
		if r.Status != want {
			t.Fatalf("tracking request %d: %d, want %d: %s", i+1, r.Status, want, r.Raw)
		}
		if want == 429 && r.errCode() != "rate_limited" {
			t.Fatalf("429 body: %s", r.Raw)
		}
	}
	if r := c.withCode("POST", "/api/v1/public/cases/"+number+"/rating", code, map[string]any{"satisfaction": "satisfied"}); r.Status != 429 {
		t.Fatalf("rating over the limit: %d", r.Status)
	}
	// Staff are not limited by the public's budget.
	c.must(200, "POST", "/api/v1/login", map[string]string{"username": "admin", "password": "admin-pass-1"})
}

func TestPublicAttachmentsWithoutDataDir(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store, dsn string) {
		if st.Dialect() != "postgres" {
			t.Skip("an SQLite store always has its database's directory")
		}
		base := startAgain(t, dsn) // PostgreSQL without --data
		c := &client{t: t, base: base}
		fields := map[string]string{"subject": "有照片", "content": "见照片", "complainant.anonymous": "1", "privacy_consent": "1"}
		r := c.multipartPost("/api/v1/public/cases", fields, file{"attachments", "p.png", pngFile(t)})
		if r.Status != 503 || r.errCode() != "attachments_unavailable" {
			t.Fatalf("files without a data directory: %d %s", r.Status, r.Raw)
		}
		if r := c.multipartPost("/api/v1/public/cases", fields); r.Status != 201 {
			t.Fatalf("without files: %d %s", r.Status, r.Raw)
		}
	})
}
