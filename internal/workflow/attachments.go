package workflow

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
)

// Limits of the files one submission may attach.
const (
	MaxAttachmentSize = 10 << 20 // bytes per file
	MaxAttachments    = 5        // files per submission
)

// Upload is a file submitted with a registration.
type Upload struct {
	// Name is the file's name as the client gave it.
	Name string
	// Size is its size as the client declared it; the stored size is counted.
	Size int64
	// Open opens its content; it may be called more than once.
	Open func() (io.ReadCloser, error)
}

// fileType is a type of file the portal takes.
type fileType struct {
	contentType string
	// evidence is the registration's evidence type it counts as.
	evidence string
	// match checks the file's first bytes (sniffed as http.DetectContentType does).
	match func(head []byte, sniffed string) bool
}

func sniffedAs(types ...string) func([]byte, string) bool {
	return func(_ []byte, sniffed string) bool { return slices.Contains(types, sniffed) }
}

// isoBox reports whether head starts an ISO base media file (MP4, M4A,
// HEIC, QuickTime): a box of type ftyp first. With brands, the major
// brand must be one of them.
func isoBox(brands ...string) func([]byte, string) bool {
	return func(head []byte, _ string) bool {
		if len(head) < 12 || string(head[4:8]) != "ftyp" {
			return false
		}
		return len(brands) == 0 || slices.Contains(brands, string(head[8:12]))
	}
}

// quickTime matches a QuickTime movie: an ftyp box of brand "qt  ", or an
// older file that starts with one of its top-level atoms.
func quickTime(head []byte, sniffed string) bool {
	if isoBox()(head, sniffed) {
		return true
	}
	return len(head) >= 8 && slices.Contains([]string{"moov", "mdat", "wide", "free", "skip", "pnot"}, string(head[4:8]))
}

// mp3 matches an MP3 with an ID3 tag (which the sniffer knows) or one that
// starts with an MPEG audio frame.
func mp3(head []byte, sniffed string) bool {
	return sniffed == "audio/mpeg" || len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0
}

var heifBrands = []string{"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"}

// fileTypes are the files the portal takes, by extension: photos, videos,
// recordings and PDF documents. A file's content must match its extension.
var fileTypes = map[string]fileType{
	".jpg":  {"image/jpeg", "photo", sniffedAs("image/jpeg")},
	".jpeg": {"image/jpeg", "photo", sniffedAs("image/jpeg")},
	".png":  {"image/png", "photo", sniffedAs("image/png")},
	".gif":  {"image/gif", "photo", sniffedAs("image/gif")},
	".webp": {"image/webp", "photo", sniffedAs("image/webp")},
	".heic": {"image/heic", "photo", isoBox(heifBrands...)},
	".heif": {"image/heif", "photo", isoBox(heifBrands...)},
	".mp4":  {"video/mp4", "video", isoBox()},
	".m4v":  {"video/mp4", "video", isoBox()},
	".mov":  {"video/quicktime", "video", quickTime},
	".mp3":  {"audio/mpeg", "recording", mp3},
	".m4a":  {"audio/mp4", "recording", isoBox()},
	".amr":  {"audio/amr", "recording", func(head []byte, _ string) bool { return bytes.HasPrefix(head, []byte("#!AMR")) }},
	".wav":  {"audio/wav", "recording", sniffedAs("audio/wave")},
	".pdf":  {"application/pdf", "document", sniffedAs("application/pdf")},
}

// AttachmentExtensions lists the file extensions the portal takes, for the
// file input's accept attribute.
func AttachmentExtensions() []string {
	var out []string
	for ext := range fileTypes {
		out = append(out, ext)
	}
	slices.Sort(out)
	return out
}

// DetectFile works out the type of a file from its name's extension and
// its first bytes (at least 512 when the file has them): its content type
// and the evidence type it counts as. ok is false for a file the portal
// does not take, or whose content does not match its extension.
func DetectFile(name string, head []byte) (contentType, evidence string, ok bool) {
	t, found := fileTypes[strings.ToLower(filepath.Ext(CleanFileName(name)))]
	if !found || len(head) == 0 || !t.match(head, http.DetectContentType(head)) {
		return "", "", false
	}
	return t.contentType, t.evidence, true
}

// Inline reports whether a stored file may be shown in the browser rather
// than downloaded: images browsers display.
func Inline(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return true
	}
	return false
}

// CleanFileName reduces a client's file name to a plain name: no
// directories, no control characters, at most 100 characters (the
// extension kept).
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 100 {
		ext := []rune(filepath.Ext(name))
		if len(ext) > 10 {
			ext = nil
		}
		name = string(r[:100-len(ext)]) + string(ext)
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// checkedFile is an upload whose type has been worked out.
type checkedFile struct {
	Upload
	name, contentType, evidence string
}

// checkFiles checks the uploads of one submission: how many, their size
// and type. Problems are reported under field.
func checkFiles(files []Upload, field string) ([]checkedFile, cases.FieldErrors) {
	if len(files) > MaxAttachments {
		return nil, cases.FieldErrors{field: "too_many_files"}
	}
	var out []checkedFile
	for _, f := range files {
		if f.Size > MaxAttachmentSize {
			return nil, cases.FieldErrors{field: "file_too_large"}
		}
		head, err := readHead(f)
		if err != nil {
			return nil, cases.FieldErrors{field: "unreadable_file"}
		}
		if len(head) == 0 {
			return nil, cases.FieldErrors{field: "empty_file"}
		}
		ct, ev, ok := DetectFile(f.Name, head)
		if !ok {
			if _, known := fileTypes[strings.ToLower(filepath.Ext(CleanFileName(f.Name)))]; known {
				// A type taken, but the content is something else (an
				// HTML page named .png, a renamed document).
				return nil, cases.FieldErrors{field: "file_type_mismatch"}
			}
			return nil, cases.FieldErrors{field: "unsupported_file"}
		}
		out = append(out, checkedFile{Upload: f, name: CleanFileName(f.Name), contentType: ct, evidence: ev})
	}
	return out, nil
}

func readHead(f Upload) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(rc, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// evidenceOf counts the files by the evidence type they are, in the order
// of cases.EvidenceTypes.
func evidenceOf(files []checkedFile) []cases.Evidence {
	var out []cases.Evidence
	for _, typ := range cases.EvidenceTypes {
		n := 0
		for _, f := range files {
			if f.evidence == typ {
				n++
			}
		}
		if n > 0 {
			out = append(out, cases.Evidence{Type: typ, Count: n})
		}
	}
	return out
}

// storeFiles stores the content of files and returns their attachment
// records, not yet tied to a case. Too large a file is reported under
// field "attachments".
func (s *Service) storeFiles(files []checkedFile, by string) ([]store.Attachment, error) {
	return s.storeFilesAs(files, by, "attachments")
}

func (s *Service) storeFilesAs(files []checkedFile, by, field string) ([]store.Attachment, error) {
	var out []store.Attachment
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		sum, size, err := s.Store.PutFile(rc, MaxAttachmentSize)
		rc.Close()
		if errors.Is(err, store.ErrTooLarge) {
			return nil, cases.FieldErrors{field: "file_too_large"}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, store.Attachment{SHA256: sum, Name: f.name, ContentType: f.contentType, Size: size,
			CreatedBy: by})
	}
	return out, nil
}

// Attachments lists the attachments of a case the actor may see.
func (s *Service) Attachments(ctx context.Context, a cases.Actor, c *cases.Case) ([]store.Attachment, error) {
	if !cases.CanSee(a, c) {
		return nil, ErrForbidden
	}
	return s.Store.Attachments(ctx, c.ID)
}

// OpenAttachment returns attachment id of the case with number, and its
// content, for an actor who may see the case.
func (s *Service) OpenAttachment(ctx context.Context, a cases.Actor, number string, id int64) (*store.Attachment, *os.File, error) {
	c, err := s.Store.GetCase(ctx, number)
	if err != nil {
		return nil, nil, err
	}
	if !cases.CanSee(a, c) {
		return nil, nil, ErrForbidden
	}
	att, err := s.Store.Attachment(ctx, c.ID, id)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Store.OpenFile(att.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return att, f, nil
}
