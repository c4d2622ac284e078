package source

import (
	"bytes"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Encoding names, as Info.Encoding and Options.Encoding spell them.
const (
	UTF8        = "utf-8"
	UTF8BOM     = "utf-8-bom"
	UTF16LE     = "utf-16le"
	UTF16BE     = "utf-16be"
	GB18030     = "gb18030"
	Windows1252 = "windows-1252"
)

// Encodings lists the encoding names Open accepts, in detection order.
var Encodings = []string{UTF8, UTF8BOM, UTF16LE, UTF16BE, GB18030, Windows1252}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// encodingSpec says how to turn a file in one encoding into UTF-8.
type encodingSpec struct {
	name string
	bom  []byte            // the byte-order mark this encoding starts with, if any
	enc  encoding.Encoding // nil: the bytes are UTF-8 already
	unit int               // code unit size: 1, or 2 for UTF-16
	be   bool              // big-endian UTF-16
}

// specFor returns the spec of a named encoding (aliases accepted).
func specFor(name string) (encodingSpec, bool) {
	switch normalizeEncodingName(name) {
	case "utf8":
		return encodingSpec{name: UTF8, unit: 1}, true
	case "utf8bom", "utf8sig":
		return encodingSpec{name: UTF8BOM, bom: bomUTF8, unit: 1}, true
	case "utf16le", "utf16", "ucs2le", "unicode":
		return encodingSpec{name: UTF16LE, bom: bomUTF16LE, unit: 2,
			enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)}, true
	case "utf16be", "ucs2be":
		return encodingSpec{name: UTF16BE, bom: bomUTF16BE, unit: 2, be: true,
			enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)}, true
	case "gb18030", "gbk", "gb2312", "cp936", "gb":
		return encodingSpec{name: GB18030, unit: 1, enc: simplifiedchinese.GB18030}, true
	case "windows1252", "cp1252", "latin1", "iso88591", "ansi":
		return encodingSpec{name: Windows1252, unit: 1, enc: charmap.Windows1252}, true
	}
	return encodingSpec{}, false
}

func normalizeEncodingName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// detectEncoding picks the encoding of a file from its first bytes:
// byte-order mark, then valid UTF-8, then UTF-16 without a BOM (the NUL
// pattern of mostly-ASCII text), then chardet (GBK and GB2312 are read as
// their superset GB18030), then windows-1252. binary is true for NUL bytes
// that are not a UTF-16 pattern.
func detectEncoding(sample []byte, truncated bool) (spec encodingSpec, binary bool) {
	switch {
	case bytes.HasPrefix(sample, bomUTF8):
		s, _ := specFor(UTF8BOM)
		return s, false
	case bytes.HasPrefix(sample, bomUTF16LE):
		s, _ := specFor(UTF16LE)
		return s, false
	case bytes.HasPrefix(sample, bomUTF16BE):
		s, _ := specFor(UTF16BE)
		return s, false
	}
	if bytes.IndexByte(sample, 0) >= 0 {
		if name := utf16Pattern(sample); name != "" {
			s, _ := specFor(name)
			return s, false
		}
		return encodingSpec{}, true
	}
	if validUTF8Prefix(sample, truncated) {
		s, _ := specFor(UTF8)
		return s, false
	}
	if looksGB18030(sample, truncated) {
		s, _ := specFor(GB18030)
		return s, false
	}
	s, _ := specFor(Windows1252)
	return s, false
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off
// at the end when b is only the start of the file.
func validUTF8Prefix(b []byte, truncated bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !truncated {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}

// utf16Pattern recognises BOM-less UTF-16 by where its NUL bytes fall: text
// that is mostly ASCII has a NUL in every high byte.
func utf16Pattern(b []byte) string {
	n := len(b) &^ 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	units := n / 2
	switch {
	case odd*10 >= units*3 && even*20 <= units:
		return UTF16LE
	case even*10 >= units*3 && odd*20 <= units:
		return UTF16BE
	}
	return ""
}

// looksGB18030 decides between GB18030 and windows-1252 for text that is
// not UTF-8. The bytes must decode as GB18030 without errors. Then either
// most two-byte characters fall in the GB2312 range (lead 0xA1–0xF7, trail
// 0xA1–0xFE: Chinese text; accented Latin letters are followed by ASCII
// bytes instead), which catches short files chardet takes for Latin-1, or
// chardet names a CJK multi-byte charset (short GBK text is often taken for
// Big5 or EUC-KR).
func looksGB18030(sample []byte, truncated bool) bool {
	if !decodesCleanly(sample, truncated) {
		return false
	}
	var pairs, gb2312 int
	for i := 0; i+1 < len(sample); i++ {
		if c := sample[i]; c >= 0x81 {
			pairs++
			if c >= 0xA1 && c <= 0xF7 && sample[i+1] >= 0xA1 && sample[i+1] <= 0xFE {
				gb2312++
			}
			i++
		}
	}
	if pairs > 0 && gb2312*10 >= pairs*8 {
		return true
	}
	r, err := chardet.NewTextDetector().DetectBest(sample)
	if err != nil || r == nil {
		return false
	}
	switch r.Charset {
	case "GB-18030", "GB18030", "GBK", "GB2312", "Big5", "EUC-KR", "EUC-JP", "Shift_JIS", "ISO-2022-CN":
	default:
		return false
	}
	return true
}

// decodesCleanly reports whether b is well-formed GB18030 (a cut character
// at the end is allowed when b is truncated).
func decodesCleanly(b []byte, truncated bool) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
		case c == 0x80 || c == 0xFF:
			return false
		case i+1 >= len(b):
			return truncated
		case b[i+1] >= 0x40 && b[i+1] <= 0xFE && b[i+1] != 0x7F:
			i += 2
		case b[i+1] >= 0x30 && b[i+1] <= 0x39:
			if i+3 >= len(b) {
				return truncated
			}
			if b[i+2] < 0x81 || b[i+2] > 0xFE || b[i+3] < 0x30 || b[i+3] > 0x39 {
				return false
			}
			i += 4
		default:
			return false
		}
	}
	return true
}
