package web

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSVG draws text as a QR code in SVG: one module per unit, the quiet
// zone included, each row's runs of dark modules as one path. Medium error
// correction (15 %) survives a smudged or folded paper slip.
func qrSVG(text string) ([]byte, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	bits := q.Bitmap()
	n := len(bits)
	var path strings.Builder
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	// The width and height give the image an intrinsic size (4 px a
	// module); the page sizes it.
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, 4*n, 4*n, n, n, n, n, path.String())
	return []byte(svg), nil
}

// qrDataURI is the QR code of text as an SVG data URI, for an <img> that
// prints sharp at any size and needs no request of its own.
func qrDataURI(text string) (template.URL, error) {
	svg, err := qrSVG(text)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)), nil
}
