package parse

import (
	"time"

	"github.com/emersion/go-message/textproto"
)

// Address is one mailbox of an address field.
type Address struct {
	Name string // display name, RFC 2047 decoded; "" when absent
	Addr string // addr-spec with the domain lowercased and the local part as written
}

// Attachment describes one attached file. Its content is not kept.
type Attachment struct {
	Name        string // file name, RFC 2047 and RFC 2231 decoded; "" when the part names none
	ContentType string // media type, lowercased, without parameters
	Size        int64  // size after transfer decoding, in bytes
	Inline      bool   // Content-Disposition inline, or part of multipart/related (embedded images)
}

// Report contains the details that a delivery status notification gives
// about the undelivered mail.
type Report struct {
	OriginalMessageID string   // Message-ID of the undelivered mail, without angle brackets
	OriginalSubject   string   // its decoded Subject
	Recipients        []string // failed recipients (Final-Recipient), or all reported recipients when none failed
	Action            string   // RFC 3464 action of the first failed recipient: failed, delayed, delivered, relayed or expanded
	Status            string   // RFC 3463 status code such as "5.1.1"
}

// Message is the result of Parse.
type Message struct {
	MessageID  string // without angle brackets; "" when missing or unusable
	From       Address
	To, Cc     []Address
	ReplyTo    []Address
	ReturnPath string    // address without brackets; "" when absent, "<>" for the null path
	Subject    string    // decoded, valid UTF-8, white space collapsed to single spaces
	Date       time.Time // zero when missing or invalid
	InReplyTo  []string  // msg-ids without brackets
	References []string  // msg-ids without brackets, oldest first

	// Header holds all top-level header fields with their folding removed
	// and their values not decoded.
	Header textproto.Header

	MediaType string // top-level media type, lowercased, such as "multipart/report"

	// Text is the body text in UTF-8 with "\n" line ends: the first
	// non-empty text/plain part, else the text of the first text/html part,
	// else the body of an Outlook winmail.dat. It is cut to MaxTextBytes.
	Text        string
	FromHTML    bool   // Text was converted from HTML
	HTML        string // the first text/html part in UTF-8, cut to MaxHTMLBytes
	Attachments []Attachment

	// Report is set for delivery status notifications and for common
	// bounces that do not follow RFC 3464.
	Report *Report

	// NeedsReview is set when part of the mail could not be decoded, such
	// as a damaged winmail.dat or one with only an RTF body. A person
	// should then read the original.
	NeedsReview bool

	// ContentHash is the hex SHA-256 of the normalised From, Date, Subject
	// and Message-ID and of the body. Copies of one mail delivered to
	// several mailboxes share it, because the fields that delivery adds
	// (Received, Delivered-To, Return-Path) are left out.
	ContentHash string

	Size     int      // length of the raw mail in bytes
	Warnings []string // repairs made while parsing, one English sentence each
}
