package storage

import (
	"encoding/binary"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/kaiku-app/kaiku/planner"
)

// encodingPost marks a post in a compact binary form: a week's view reads
// each of its posts, and decoding JSON was most of the time that took. The
// layout, after the byte:
//
//   - ID, Text, Purpose, Role, GoalID, OccurrenceID, Status, Attempt,
//     LastError and SourceItem as strings: a uvarint length and UTF-8 bytes;
//   - Parts: a uvarint count, then each part as a string;
//   - Variants: a uvarint count, then each network and its text, by network;
//   - Targets: a uvarint count, then each AccountID and Network;
//   - Time, Created and Updated as times: a varint of Unix seconds, a uvarint
//     of nanoseconds (1<<30 for the zero time, whose seconds are 0) and a
//     varint of the UTC offset in seconds that the time was written with;
//   - Results: a uvarint count, then each AccountID, Network, Part (a
//     uvarint), RemoteID, URL, At (a time), Error, CID, Key and Attempt, and
//     Pending (a uvarint, 1 for true);
//   - Language as a string;
//   - Images: a uvarint count, then each Hash, Alt and Type as strings and
//     Width, Height and Part as uvarints.
//
// A post reads back as the JSON encoding read it: times in UTC for a zero
// offset, else at their offset, in the Local zone where that has the offset
// then. Posts written as JSON before this encoding stay readable. A new field
// needs a new encoding byte.
const encodingPost byte = 3

// postFields and resultFields are how many fields planner.Post and
// planner.PublishResult have; the codec test fails when one grows, so that a
// new field is not lost silently.
const (
	postFields   = 19
	resultFields = 11
)

// maxListLen bounds a count read from a value before anything is made for it.
const maxListLen = 1 << 16

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		b = binary.AppendVarint(b, 0)
		b = binary.AppendUvarint(b, zeroNanos)
		return binary.AppendVarint(b, 0)
	}
	_, offset := t.Zone()
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(offset))
}

// encodePost writes p in the compact form.
func encodePost(p planner.Post) []byte {
	size := 64 + len(p.ID) + len(p.Text) + len(p.GoalID) + len(p.OccurrenceID) + len(p.LastError) + len(p.SourceItem)
	for _, s := range p.Parts {
		size += len(s) + 2
	}
	b := make([]byte, 0, size)
	b = append(b, encodingPost)
	for _, s := range []string{p.ID, p.Text, string(p.Purpose), string(p.Role), p.GoalID, p.OccurrenceID, string(p.Status), p.Attempt, p.LastError, p.SourceItem} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(p.Parts)))
	for _, s := range p.Parts {
		b = appendString(b, s)
	}
	networks := make([]planner.Network, 0, len(p.Variants))
	for n := range p.Variants {
		networks = append(networks, n)
	}
	slices.Sort(networks)
	b = binary.AppendUvarint(b, uint64(len(networks)))
	for _, n := range networks {
		b = appendString(b, string(n))
		b = appendString(b, p.Variants[n])
	}
	b = binary.AppendUvarint(b, uint64(len(p.Targets)))
	for _, t := range p.Targets {
		b = appendString(b, t.AccountID)
		b = appendString(b, string(t.Network))
	}
	for _, t := range []time.Time{p.Time, p.Created, p.Updated} {
		b = appendTime(b, t)
	}
	b = binary.AppendUvarint(b, uint64(len(p.Results)))
	for _, r := range p.Results {
		b = appendString(b, r.AccountID)
		b = appendString(b, string(r.Network))
		b = binary.AppendUvarint(b, uint64(r.Part))
		b = appendString(b, r.RemoteID)
		b = appendString(b, r.URL)
		b = appendTime(b, r.At)
		b = appendString(b, r.Error)
		b = appendString(b, r.CID)
		b = appendString(b, r.Key)
		b = appendString(b, r.Attempt)
		pending := uint64(0)
		if r.Pending {
			pending = 1
		}
		b = binary.AppendUvarint(b, pending)
	}
	b = appendString(b, p.Language)
	b = binary.AppendUvarint(b, uint64(len(p.Images)))
	for _, im := range p.Images {
		b = appendString(b, im.Hash)
		b = appendString(b, im.Alt)
		b = appendString(b, im.Type)
		b = binary.AppendUvarint(b, uint64(im.Width))
		b = binary.AppendUvarint(b, uint64(im.Height))
		b = binary.AppendUvarint(b, uint64(im.Part))
	}
	return b
}

var errPostValue = errors.New("decode: a damaged post value")

// postReader reads what encodePost wrote; the first thing it cannot read
// makes ok false, and everything after reads as zero. Its strings share one
// copy of the value, made once, instead of a copy each.
type postReader struct {
	s  string // the value
	at int    // how much of it is read
	ok bool
}

// left is what is not read yet.
func (r *postReader) left() int { return len(r.s) - r.at }

// uvarint reads what binary.AppendUvarint wrote, as binary.Uvarint does but
// from the string.
func (r *postReader) uvarint() uint64 {
	if !r.ok {
		return 0
	}
	var n uint64
	for shift := uint(0); r.at < len(r.s) && shift < 64; shift += 7 {
		c := r.s[r.at]
		r.at++
		if shift == 63 && c > 1 {
			break // past 64 bits
		}
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	r.ok = false
	return 0
}

func (r *postReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *postReader) str() string {
	n := r.uvarint()
	if !r.ok || n > uint64(r.left()) {
		r.ok = false
		return ""
	}
	s := r.s[r.at : r.at+int(n)]
	r.at += int(n)
	if !utf8.ValidString(s) {
		r.ok = false
	}
	return s
}

// count reads a list's length, refusing one longer than the value could hold.
func (r *postReader) count() int {
	n := r.uvarint()
	if n > maxListLen || n > uint64(r.left()) {
		r.ok = false
		return 0
	}
	return int(n)
}

// small reads a uvarint that must fit a list's bounds: a size or an index.
func (r *postReader) small() int {
	n := r.uvarint()
	if n > 1<<30 {
		r.ok = false
		return 0
	}
	return int(n)
}

func (r *postReader) time() time.Time {
	sec, ns, offset := r.varint(), r.uvarint(), r.varint()
	if !r.ok {
		return time.Time{}
	}
	if ns == zeroNanos && sec == 0 && offset == 0 {
		return time.Time{}
	}
	if ns >= 1e9 || offset <= -24*3600 || offset >= 24*3600 {
		r.ok = false
		return time.Time{}
	}
	t := time.Unix(sec, int64(ns))
	if offset == 0 {
		return t.UTC()
	}
	// As time.Parse reads an offset: the Local zone when it has that offset then.
	if _, local := t.Zone(); local == int(offset) {
		return t
	}
	return t.In(time.FixedZone("", int(offset)))
}

// decodePost reads what encodePost wrote, after its first byte.
func decodePost(b []byte, p *planner.Post) error {
	r := postReader{s: string(b), ok: true}
	var out planner.Post
	out.ID, out.Text = r.str(), r.str()
	out.Purpose, out.Role = planner.Purpose(r.str()), planner.Role(r.str())
	out.GoalID, out.OccurrenceID, out.Status = r.str(), r.str(), planner.Status(r.str())
	out.Attempt, out.LastError, out.SourceItem = r.str(), r.str(), r.str()
	if n := r.count(); n > 0 {
		out.Parts = make([]string, n)
		for i := range out.Parts {
			out.Parts[i] = r.str()
		}
	}
	if n := r.count(); n > 0 {
		out.Variants = make(map[planner.Network]string, n)
		for range n {
			k := planner.Network(r.str())
			out.Variants[k] = r.str()
		}
	}
	if n := r.count(); n > 0 {
		out.Targets = make([]planner.Target, n)
		for i := range out.Targets {
			out.Targets[i] = planner.Target{AccountID: r.str(), Network: planner.Network(r.str())}
		}
	}
	out.Time, out.Created, out.Updated = r.time(), r.time(), r.time()
	if n := r.count(); n > 0 {
		out.Results = make([]planner.PublishResult, n)
		for i := range out.Results {
			res := &out.Results[i]
			res.AccountID, res.Network = r.str(), planner.Network(r.str())
			part := r.uvarint()
			if part > maxListLen {
				r.ok = false
			}
			res.Part = int(part)
			res.RemoteID, res.URL, res.At, res.Error = r.str(), r.str(), r.time(), r.str()
			res.CID, res.Key, res.Attempt = r.str(), r.str(), r.str()
			switch r.uvarint() {
			case 0:
			case 1:
				res.Pending = true
			default:
				r.ok = false
			}
		}
	}
	out.Language = r.str()
	if n := r.count(); n > 0 {
		out.Images = make([]planner.Image, n)
		for i := range out.Images {
			im := &out.Images[i]
			im.Hash, im.Alt, im.Type = r.str(), r.str(), r.str()
			im.Width, im.Height, im.Part = r.small(), r.small(), r.small()
		}
	}
	if !r.ok || r.left() != 0 {
		return errPostValue
	}
	*p = out
	return nil
}
