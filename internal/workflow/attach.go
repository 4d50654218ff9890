package workflow

import (
	"context"
	"errors"
	"strings"

	"github.com/ombud/ombud/internal/cases"
	"github.com/ombud/ombud/internal/store"
)

// AttachField is the field the files of an upload by staff are reported
// under (the API's and the case page's multipart field).
const AttachField = "file"

// Attach adds files to the case with number, with an optional note, as
// actor: one attach event whose payload records each file's name, content
// type, size, SHA-256 and evidence type, so that the hash chain makes the
// evidence tamper-evident; the registration record's evidence counts
// follow. It returns the case and the attachments added.
//
// The files are checked as the portal's are (at most MaxAttachments of at
// most MaxAttachmentSize each, content matching the extension) after the
// case and the actor's right to attach: 404, 403 and 409 come before any
// file is read. Their content is written to disk before the transaction
// that records them with the event; a transaction that then fails leaves
// files no row refers to, which is harmless: content is stored under its
// hash, once, and a later upload of the same file reuses it.
func (s *Service) Attach(ctx context.Context, a cases.Actor, number string, files []Upload, note string) (*cases.Case, []store.Attachment, error) {
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	// Fail early, before any file is read or stored.
	c, err := s.Store.GetCase(ctx, number)
	if err != nil {
		return nil, nil, err
	}
	if !cases.CanSee(a, c) {
		return nil, nil, ErrForbidden
	}
	if _, err := Decide(s.For(c.Pack).Rules(), a, c, cases.Attach, cases.Params{Note: note}, s.Now()); err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, cases.FieldErrors{AttachField: "required"}
	}
	checked, fe := checkFiles(files, AttachField)
	if fe != nil {
		return nil, nil, fe
	}
	if !s.Store.FilesAvailable() {
		return nil, nil, store.ErrNoFiles
	}
	atts, err := s.storeFilesAs(checked, a.Username, AttachField)
	if err != nil {
		return nil, nil, err
	}
	recorded := make([]cases.File, len(atts))
	for i, att := range atts {
		recorded[i] = cases.File{Name: att.Name, ContentType: att.ContentType, Size: att.Size,
			SHA256: att.SHA256, Evidence: checked[i].evidence}
	}
	var added []store.Attachment
	for attempt := 0; attempt < 5; attempt++ {
		c, added, err = s.attach(ctx, a, number, recorded, atts, note)
		if !errors.Is(err, store.ErrConflict) {
			break
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return c, added, nil
}

// attach records files (stored already) on the case with number: the
// attach event, the case's new projection and the attachment rows, in one
// transaction.
func (s *Service) attach(ctx context.Context, a cases.Actor, number string, files []cases.File, atts []store.Attachment, note string) (*cases.Case, []store.Attachment, error) {
	var c *cases.Case
	var added []store.Attachment
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		added = nil // a transaction retried starts again
		var err error
		if c, err = visibleCase(ctx, tx, a, number); err != nil {
			return err
		}
		now := s.Now()
		ch, err := Decide(s.For(c.Pack).Rules(), a, c, cases.Attach, cases.Params{Note: note}, now)
		if err != nil {
			return err
		}
		ch.Files = files
		e, err := appendChange(ctx, tx, c, string(cases.Attach), a.Username, now, ch)
		if err != nil {
			return err
		}
		for _, att := range atts {
			att.CaseID, att.CreatedAt = c.ID, e.At
			if err := tx.InsertAttachment(ctx, &att); err != nil {
				return err
			}
			added = append(added, att)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c, added, nil
}
