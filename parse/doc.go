// Package parse turns the raw bytes of one mail into the fields the robot
// needs: decoded header fields, the body text, the attachment list, delivery
// report details and the signals that the mail came from a program.
//
// The parser is lenient by design. It repairs what real mail clients get
// wrong (malformed header lines, mislabelled charsets, missing closing
// boundaries, encoded-words that split a character) and records each repair
// as a warning on the Message. Parse returns an error only when the input
// holds nothing usable; the caller then quarantines the mail.
//
// Header fields and MIME structure are parsed here, over the raw byte slice,
// and not by go-message's entity reader. That reader converts charsets
// through the process-wide message.CharsetReader, which decodes iso-8859-1
// as true Latin-1, and it stops at the first malformed line. The result
// still carries a go-message textproto.Header so that callers can read any
// field.
package parse
