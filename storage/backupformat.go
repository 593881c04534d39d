package storage

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"time"
)

// The backup file's layout; Backup's comment describes it.
const (
	backupMagic  = "KAIKU-BACKUP\n"
	backupFormat = 1
	// maxHeader bounds the header line.
	maxHeader = 4 << 10
	// chunkSize is what Backup puts in one chunk; maxChunk is what Restore accepts.
	chunkSize = 256 << 10
	maxChunk  = 1 << 20
	// maxRecord bounds one record of Badger's stream, which batches up to
	// 100 MB; Restore refuses a larger length before Badger allocates for it.
	maxRecord = 256 << 20
	// loadPending is how many write batches Badger's loader keeps in flight.
	loadPending = 16
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// backupHeader is the JSON line after the magic.
type backupHeader struct {
	Format  int       `json:"format"`
	Schema  int       `json:"schema"`
	Created time.Time `json:"created"`
}

// chunkWriter cuts what it is given into checksummed chunks.
type chunkWriter struct {
	ctx        context.Context
	w          io.Writer
	buf        []byte
	crc        uint32 // of everything so far
	afterChunk func()
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	// Badger's stream stops on a write error, so this is where a cancel lands.
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		k := copy(c.buf[len(c.buf):cap(c.buf)], p)
		c.buf, p, n = c.buf[:len(c.buf)+k], p[k:], n+k
		if len(c.buf) == cap(c.buf) {
			if err := c.flush(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func (c *chunkWriter) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	// Badger hands over a whole batch in one Write; a cancel lands between chunks.
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if err := c.writeChunk(uint32(len(c.buf)), crc32.Checksum(c.buf, castagnoli), c.buf); err != nil {
		return err
	}
	c.crc = crc32.Update(c.crc, castagnoli, c.buf)
	c.buf = c.buf[:0]
	if c.afterChunk != nil {
		c.afterChunk()
	}
	return nil
}

func (c *chunkWriter) writeChunk(n, sum uint32, data []byte) error {
	var head [8]byte
	binary.LittleEndian.PutUint32(head[:4], n)
	binary.LittleEndian.PutUint32(head[4:], sum)
	if _, err := c.w.Write(head[:]); err != nil {
		return err
	}
	if len(data) == 0 {
		return nil
	}
	_, err := c.w.Write(data)
	return err
}

// finish writes what is buffered and the end mark.
func (c *chunkWriter) finish() error {
	if err := c.flush(); err != nil {
		return err
	}
	return c.writeChunk(0, c.crc, nil)
}

// readBackupHeader reads and checks the magic and the header line.
func readBackupHeader(br *bufio.Reader, file string) (backupHeader, error) {
	var hdr backupHeader
	magic := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != backupMagic {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return hdr, fmt.Errorf("read %s: %w", file, err)
		}
		return hdr, &BackupError{File: file, Kind: ErrNotBackup}
	}
	line, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull), err == nil && len(line) > maxHeader:
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its header is too long"}
	case errors.Is(err, io.EOF):
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "it ends inside its header"}
	case err != nil:
		return hdr, fmt.Errorf("read %s: %w", file, err)
	}
	if err := json.Unmarshal(line, &hdr); err != nil {
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its header cannot be read", Err: err}
	}
	switch {
	case hdr.Format > backupFormat:
		return hdr, &BackupError{File: file, Kind: ErrNewerBackup,
			Detail: fmt.Sprintf("backup format %d, this Kaiku reads up to %d", hdr.Format, backupFormat)}
	case hdr.Format < 1 || hdr.Schema < 1:
		return hdr, &BackupError{File: file, Kind: ErrDamagedBackup, Detail: "its header names no format or schema"}
	}
	return hdr, nil
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// chunkReader checks the chunks written by chunkWriter and returns their bytes.
type chunkReader struct {
	ctx      context.Context
	r        io.Reader
	file     string
	progress func()
	buf      []byte
	data     []byte // the current chunk's unread bytes
	crc      uint32
	err      error // sticky: io.EOF after the end mark
	readErr  error // a failure to read r, as opposed to bad content
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.data) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.err = c.next()
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

func (c *chunkReader) damaged(detail string, err error) error {
	return &BackupError{File: c.file, Kind: ErrDamagedBackup, Detail: detail, Err: err}
}

// short tells a file that ends early from one that could not be read.
func (c *chunkReader) short(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// Not wrapping io.EOF, which would read as the stream's proper end.
		return c.damaged("it ends early; it may not have been copied whole", nil)
	}
	c.readErr = err
	return fmt.Errorf("read %s: %w", c.file, err)
}

// next reads one chunk into c.data, or the end mark (io.EOF).
func (c *chunkReader) next() error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	var head [8]byte
	if _, err := io.ReadFull(c.r, head[:]); err != nil {
		return c.short(err)
	}
	n, sum := binary.LittleEndian.Uint32(head[:4]), binary.LittleEndian.Uint32(head[4:])
	if n == 0 {
		if sum != c.crc {
			return c.damaged("its checksum does not match its contents", nil)
		}
		var b [1]byte
		switch _, err := io.ReadFull(c.r, b[:]); {
		case err == nil:
			return c.damaged("something follows its end", nil)
		case !errors.Is(err, io.EOF):
			c.readErr = err
			return fmt.Errorf("read %s: %w", c.file, err)
		}
		return io.EOF
	}
	if n > maxChunk {
		return c.damaged(fmt.Sprintf("a block claims %d bytes", n), nil)
	}
	c.buf = slices.Grow(c.buf[:0], int(n))[:n]
	if _, err := io.ReadFull(c.r, c.buf); err != nil {
		return c.short(err)
	}
	if crc32.Checksum(c.buf, castagnoli) != sum {
		return c.damaged("a block fails its checksum", nil)
	}
	c.crc = crc32.Update(c.crc, castagnoli, c.buf)
	c.data = c.buf
	if c.progress != nil {
		c.progress()
	}
	return nil
}

// recordGuard passes Badger's backup stream through, refusing a record
// length no Kaiku backup has before Badger allocates that much for it.
type recordGuard struct {
	r       io.Reader
	file    string
	head    [8]byte
	pending []byte // the current record's length, not yet passed on
	remain  uint64 // the current record's bytes not yet passed on
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if len(g.pending) == 0 && g.remain == 0 {
		// At a record boundary: read the next length whole and check it.
		// io.EOF itself, never wrapped, is the chunks' verified end.
		switch _, err := io.ReadFull(g.r, g.head[:]); {
		case err == io.EOF:
			return 0, io.EOF
		case err == io.ErrUnexpectedEOF:
			return 0, &BackupError{File: g.file, Kind: ErrDamagedBackup, Detail: "it ends inside a record"}
		case err != nil:
			return 0, err
		}
		g.remain = binary.LittleEndian.Uint64(g.head[:])
		if g.remain > maxRecord {
			return 0, &BackupError{File: g.file, Kind: ErrDamagedBackup, Detail: fmt.Sprintf("a record claims %d bytes", g.remain)}
		}
		g.pending = g.head[:]
	}
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	if uint64(len(p)) > g.remain {
		p = p[:g.remain]
	}
	n, err := g.r.Read(p)
	g.remain -= uint64(n)
	if err == io.EOF {
		if g.remain > 0 {
			return n, &BackupError{File: g.file, Kind: ErrDamagedBackup, Detail: "it ends inside a record"}
		}
		// More records may follow; the next call finds out.
		err = nil
	}
	return n, err
}
