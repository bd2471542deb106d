package parse

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// Limits that keep the work and memory for one mail bounded.
const (
	MaxTextBytes   = 1 << 20 // Message.Text is cut to this many bytes
	MaxHTMLBytes   = 4 << 20 // Message.HTML is cut to this many bytes
	MaxAttachments = 1000    // Message.Attachments lists at most this many

	maxParts         = 10000   // MIME parts visited per mail
	maxDepth         = 32      // multipart nesting
	maxTextPartInput = 8 << 20 // encoded bytes of one text part that are decoded
	maxEmbeddedBytes = 1 << 20 // decoded bytes kept of a delivery status or returned header part
)

// walker visits the MIME tree of one mail and fills the Message.
type walker struct {
	m     *Message
	w     *warnings
	parts int

	text, html bool   // a non-empty text/plain or text/html part was taken
	tnefText   string // body found in a winmail.dat
	tnefHTML   string
	reportType string // report-type of the top-level multipart/report
	dsn        []byte // first message/delivery-status body
	orig       []byte // header block of the reported mail

	nesting  int      // how deep this mail is attached in others
	forwards []string // text blocks of attached mails, see forwardedText
}

// entityInfo holds the header facts of one MIME entity.
type entityInfo struct {
	mediaType  string
	params     map[string]string
	cte        string
	name       string
	attachment bool // Content-Disposition attachment
	inline     bool // Content-Disposition inline, or inside multipart/related with a Content-ID
	location   string
}

// entity handles one MIME entity with header h and body.
func (wk *walker) entity(h header, body []byte, path string, depth int, defaultType string, inRelated bool) {
	wk.parts++
	if wk.parts > maxParts {
		wk.w.add("more than %d MIME parts; the rest is skipped", maxParts)
		return
	}
	location := "part " + path
	if path == "" {
		location = "message body"
	}

	e := entityInfo{mediaType: defaultType, cte: h.get("Content-Transfer-Encoding"), location: location}
	if ct := h.get("Content-Type"); strings.TrimSpace(ct) != "" {
		typ, params := parseMediaType(ct, location+" Content-Type", wk.w)
		e.params = params
		switch {
		case typ == "text":
			e.mediaType = "text/plain"
		case validMediaType(typ):
			e.mediaType = typ
		default:
			wk.w.add("%s: invalid Content-Type %s; treated as %s", location, quoteSnippet(ct), defaultType)
		}
	}
	if e.params == nil {
		e.params = map[string]string{}
	}
	disp, dparams := parseMediaType(h.get("Content-Disposition"), location+" Content-Disposition", wk.w)
	e.name = dparams["filename"]
	if e.name == "" {
		e.name = e.params["name"]
	}
	e.attachment = disp == "attachment"
	e.inline = disp == "inline" || (inRelated && h.has("Content-Id"))

	if path == "" {
		wk.m.MediaType = e.mediaType
		if e.mediaType == "multipart/report" {
			wk.reportType = e.params["report-type"]
		}
	}
	if strings.HasPrefix(e.mediaType, "multipart/") {
		wk.multipart(e, body, path, depth, inRelated)
		return
	}
	wk.leaf(e, body)
}

// validMediaType reports whether t has the form type/subtype.
func validMediaType(t string) bool {
	typ, sub, ok := strings.Cut(t, "/")
	return ok && typ != "" && sub != "" && !strings.ContainsAny(t, " \t\"") && !strings.Contains(sub, "/")
}

// multipart splits a multipart body and visits its parts.
func (wk *walker) multipart(e entityInfo, body []byte, path string, depth int, inRelated bool) {
	if depth >= maxDepth {
		wk.w.add("%s: multipart nesting deeper than %d; inner parts skipped", e.location, maxDepth)
		return
	}
	boundary := e.params["boundary"]
	if boundary == "" {
		boundary = guessBoundary(body)
		if boundary == "" {
			wk.w.add("%s: %s without boundary; body treated as text/plain", e.location, e.mediaType)
			wk.leaf(entityInfo{mediaType: "text/plain", params: map[string]string{}, cte: e.cte, location: e.location}, body)
			return
		}
		wk.w.add("%s: %s without boundary parameter; using %q found in the body", e.location, e.mediaType, boundary)
	}

	parts, closed := splitMultipart(body, boundary, maxParts)
	if len(parts) == 0 {
		wk.w.add("%s: no part with boundary %q found; body treated as text/plain", e.location, boundary)
		wk.leaf(entityInfo{mediaType: "text/plain", params: map[string]string{}, location: e.location}, body)
		return
	}
	if !closed {
		wk.w.add("%s: closing boundary %q missing; the last part runs to the end of the message", e.location, boundary)
	}

	childType := "text/plain"
	if e.mediaType == "multipart/digest" {
		childType = "message/rfc822" // RFC 2046 section 5.1.5
	}
	related := inRelated || e.mediaType == "multipart/related"
	for i, p := range parts {
		childPath := strconv.Itoa(i + 1)
		if path != "" {
			childPath = path + "." + childPath
		}
		ph, pbody := readHeader(p, "part "+childPath+" header", wk.w)
		wk.entity(ph, pbody, childPath, depth+1, childType, related)
	}
}

// leaf handles a non-multipart entity.
func (wk *walker) leaf(e entityInfo, body []byte) {
	switch e.mediaType {
	case "message/delivery-status", "message/global-delivery-status":
		if wk.dsn == nil {
			wk.dsn = decodeLimited(e.cte, body, maxEmbeddedBytes, e.location, wk.w)
		}
		return
	case "text/rfc822-headers", "message/rfc822-headers", "message/global-headers":
		if wk.orig == nil {
			wk.orig = decodeLimited(e.cte, body, maxEmbeddedBytes, e.location, wk.w)
		}
		return
	case "message/disposition-notification", "message/feedback-report":
		return
	case "message/rfc822", "message/global":
		inner := decodeLimited(e.cte, body, maxEmbeddedBytes, e.location, wk.w)
		if wk.orig == nil {
			wk.orig = inner
		}
		if e.name == "" {
			e.name = embeddedName(inner)
		}
		if wk.reportType == "" {
			if block := wk.forwardedText(inner); block != "" {
				wk.forwards = append(wk.forwards, block)
			}
		}
		wk.attach(e, body)
		return
	case "application/ms-tnef", "application/vnd.ms-tnef":
		wk.tnef(e, body)
		return
	}
	if strings.EqualFold(e.name, "winmail.dat") {
		wk.tnef(e, body)
		return
	}

	bodyText := !e.attachment && e.name == ""
	switch {
	case bodyText && e.mediaType == "text/plain":
		if !wk.text {
			s := wk.decodeText(e, body)
			if e.params["format"] == "flowed" {
				s = unflow(s, strings.EqualFold(e.params["delsp"], "yes"))
			}
			if strings.TrimSpace(s) != "" {
				wk.m.Text, wk.text = s, true
			}
		}
	case bodyText && e.mediaType == "text/html":
		if !wk.html {
			s := wk.decodeText(e, body)
			if strings.TrimSpace(s) != "" {
				if len(s) > MaxHTMLBytes {
					wk.w.add("%s: HTML cut to %d bytes", e.location, MaxHTMLBytes)
					s = truncateUTF8(s, MaxHTMLBytes)
				}
				wk.m.HTML, wk.html = s, true
			}
		}
	case bodyText && strings.HasPrefix(e.mediaType, "text/"):
		// Other inline text (text/calendar, text/enriched) is neither
		// the body nor a file.
	default:
		wk.attach(e, body)
	}
}

// attach lists an attachment with its decoded size.
func (wk *walker) attach(e entityInfo, body []byte) {
	if !knownTransferEncoding(e.cte) {
		wk.w.add("unknown Content-Transfer-Encoding %q in %s; size counted as binary", e.cte, e.location)
	}
	wk.addAttachment(Attachment{
		Name:        e.name,
		ContentType: e.mediaType,
		Size:        decodedSize(e.cte, body),
		Inline:      e.inline,
	})
}

// addAttachment appends a to the list unless it is full.
func (wk *walker) addAttachment(a Attachment) {
	if len(wk.m.Attachments) >= MaxAttachments {
		wk.w.add("more than %d attachments; the list is cut", MaxAttachments)
		return
	}
	wk.m.Attachments = append(wk.m.Attachments, a)
}

// metaCharset finds the charset declared in an HTML document's <meta>.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)`)

// decodeText decodes a text part to UTF-8 with "\n" line ends.
func (wk *walker) decodeText(e entityInfo, body []byte) string {
	if len(body) > maxTextPartInput {
		wk.w.add("%s: text part larger than %d bytes; only the start is decoded", e.location, maxTextPartInput)
		body = body[:maxTextPartInput]
		if i := bytes.LastIndexByte(body, '\n'); i > 0 {
			body = body[:i+1]
		}
	}
	data := decodeTransfer(e.cte, body, e.location, wk.w)
	charset := e.params["charset"]
	if charset == "" && e.mediaType == "text/html" {
		head := data[:min(len(data), 4096)]
		if m := metaCharset.FindSubmatch(head); m != nil {
			charset = string(m[1])
		}
	}
	text := decodeCharset(charset, data, e.location+" ("+e.mediaType+")", wk.w)
	return normalizeNewlines(strings.TrimPrefix(text, "\ufeff"))
}

// decodeLimited undoes the transfer encoding of at most limit bytes of a
// part that is read only for its header fields.
func decodeLimited(cte string, body []byte, limit int, location string, w *warnings) []byte {
	if len(body) > limit*2 {
		body = body[:limit*2]
	}
	data := decodeTransfer(cte, body, location, w)
	if len(data) > limit {
		data = data[:limit]
	}
	return data
}

// embeddedName names an attached mail after its subject.
func embeddedName(inner []byte) string {
	h, _ := readHeader(inner, "attached message", &warnings{})
	subject := cleanText(decodeHeaderText(h.get("Subject"), "attached Subject", &warnings{}))
	if subject == "" {
		return "message.eml"
	}
	return subject + ".eml"
}

// tnef decodes an Outlook winmail.dat. On success its body and files take
// the place of the winmail.dat. Otherwise the winmail.dat is listed as it
// is and the mail is marked for review.
func (wk *walker) tnef(e entityInfo, body []byte) {
	if e.name == "" {
		e.name = "winmail.dat"
	}
	data := decodeTransfer(e.cte, body, e.location, wk.w)
	c, err := decodeTNEF(data)
	found := c.Body != "" || c.HTML != "" || len(c.Attachments) > 0

	if err != nil || !found {
		wk.m.NeedsReview = true
		wk.attach(e, body)
		switch {
		case err == nil:
			wk.w.add("%s: %s holds no body and no files; kept as an attachment for review", e.location, e.name)
		case found:
			wk.w.add("%s: %s decoded only in part (%v); kept as an attachment for review", e.location, e.name, err)
		default:
			wk.w.add("%s: %s could not be decoded (%v); kept as an attachment for review", e.location, e.name, err)
		}
	}
	if c.BadChecksum > 0 {
		wk.w.add("%s: %d attributes in %s have a wrong checksum", e.location, c.BadChecksum, e.name)
	}
	if c.RTFOnly && c.Body == "" && c.HTML == "" {
		wk.m.NeedsReview = true
		wk.w.add("%s: the body in %s is compressed RTF, which is not decoded", e.location, e.name)
	}
	for _, a := range c.Attachments {
		wk.addAttachment(a)
	}
	if wk.tnefText == "" {
		wk.tnefText = normalizeNewlines(c.Body)
	}
	if wk.tnefHTML == "" {
		wk.tnefHTML = c.HTML
	}
}
