package validate

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// Decimal is an exact decimal number, the value of decimal, currency and
// percent fields: Int × 10^-Scale, or Big × 10^-Scale when the unscaled
// value does not fit in an int64 (rare: more than 18 digits). Parsing
// never touches math/big for ordinary numbers.
//
// It implements pgtype.NumericValuer, so pgx encodes it for numeric
// columns (text or binary COPY) as is.
type Decimal struct {
	Int   int64
	Scale int32
	Big   *big.Int
}

// NumericValue returns the value as a pgtype.Numeric.
func (d Decimal) NumericValue() (pgtype.Numeric, error) {
	i := d.Big
	if i == nil {
		i = big.NewInt(d.Int)
	}
	return pgtype.Numeric{Int: i, Exp: -d.Scale, Valid: true}, nil
}

// String formats the number with a '.' point: "-1234.50".
func (d Decimal) String() string {
	var digits string
	if d.Big != nil {
		digits = d.Big.String()
	} else {
		digits = strconv.FormatInt(d.Int, 10)
	}
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if s := int(d.Scale); s > 0 {
		if len(digits) <= s {
			digits = strings.Repeat("0", s-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-s] + "." + digits[len(digits)-s:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// number is a parsed number before it is checked against a field.
type number struct {
	neg   bool
	mant  uint64 // significant digits, when !big
	big   []byte // all significant digits, when they do not fit mant
	scale int    // digits after the point (may be < 0 after an exponent)
	sig   int    // significant digits (in mant or big)
}

// intDigits is the number of significant digits before the point.
func (n number) intDigits() int { return max(0, n.sig-n.scale) }

// parseNumber reads s in the locale ("1,234.56" when comma is false,
// "1.234,56" when true). Grouping must be by threes; spaces group too.
// percent allows a trailing '%', money a currency sign. ok is false for
// anything that is not a number.
func parseNumber(s string, comma, percent, money, exponent bool) (n number, ok bool) {
	group, point := byte(','), byte('.')
	if comma {
		group, point = '.', ','
	}
	s = strings.TrimSpace(s)
	if percent {
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if money {
		s = trimCurrency(s)
	}
	if s == "" {
		return n, false
	}
	switch s[0] {
	case '-':
		n.neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	if money {
		s = trimCurrency(s)
	}
	var (
		digits, sigDigits int
		seenPoint         bool
		groupLen          = -1 // digits since the last group separator; -1: none yet
		firstGroup        = 0
		i                 int
	)
	for i = 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if groupLen >= 0 {
				groupLen++
			} else if !seenPoint {
				firstGroup++
			}
			if seenPoint {
				n.scale++
			}
			if sigDigits == 0 && c == '0' {
				continue
			}
			sigDigits++
			n.sig = sigDigits
			if n.big == nil && sigDigits <= 19 {
				n.mant = n.mant*10 + uint64(c-'0')
				continue
			}
			if n.big == nil {
				n.big = strconv.AppendUint(make([]byte, 0, 40), n.mant, 10)
			}
			n.big = append(n.big, c)
		case c == point && !seenPoint:
			if groupLen >= 0 && groupLen != 3 {
				return n, false
			}
			seenPoint = true
			groupLen = -1
		case (c == group || c == ' ') && !seenPoint:
			if groupLen >= 0 && groupLen != 3 || groupLen < 0 && (firstGroup == 0 || firstGroup > 3) {
				return n, false
			}
			groupLen = 0
		case (c == 'e' || c == 'E') && exponent && digits > 0:
			exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
			if err != nil || exp > 1000 || exp < -1000 {
				return n, false
			}
			if groupLen >= 0 && groupLen != 3 {
				return n, false
			}
			n.scale -= exp
			return n, true
		case c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 && !seenPoint: // no-break space groups
			if groupLen >= 0 && groupLen != 3 || groupLen < 0 && (firstGroup == 0 || firstGroup > 3) {
				return n, false
			}
			groupLen = 0
			i++
		default:
			return n, false
		}
	}
	if digits == 0 || groupLen >= 0 && groupLen != 3 {
		return n, false
	}
	return n, true
}

func trimCurrency(s string) string {
	if s == "" || isDigitOrSign(s[0]) && isDigitOrSign(s[len(s)-1]) {
		return s
	}
	for _, sym := range []string{"$", "¥", "￥", "€", "£", "US$", "RMB", "CNY", "USD", "EUR"} {
		if strings.HasPrefix(s, sym) {
			return strings.TrimSpace(s[len(sym):])
		}
		if strings.HasSuffix(s, sym) {
			return strings.TrimSpace(s[:len(s)-len(sym)])
		}
	}
	return s
}

// trim drops trailing zeros after the point: 12.500 → 12.5.
func (n *number) trim() {
	if n.big != nil {
		for n.scale > 0 && len(n.big) > 1 && n.big[len(n.big)-1] == '0' {
			n.big = n.big[:len(n.big)-1]
			n.scale--
			n.sig--
		}
		return
	}
	for n.scale > 0 && n.mant%10 == 0 && n.mant != 0 {
		n.mant /= 10
		n.scale--
		n.sig--
	}
	if n.mant == 0 {
		n.scale, n.sig = 0, 0
	}
}

var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

// decimal turns n (trimmed) into a Decimal with a scale ≥ 0.
func (n number) decimal() Decimal {
	if n.scale < 0 && n.big == nil && -n.scale < len(pow10) && n.mant <= (1<<63-1)/pow10[-n.scale] {
		n.mant *= pow10[-n.scale]
		n.scale = 0
	}
	if n.big == nil && n.scale >= 0 && n.mant <= 1<<63-1 {
		v := int64(n.mant)
		if n.neg {
			v = -v
		}
		return Decimal{Int: v, Scale: int32(n.scale)}
	}
	b := new(big.Int)
	if n.big != nil {
		b.SetString(string(n.big), 10)
	} else {
		b.SetUint64(n.mant)
	}
	scale := n.scale
	if scale < 0 {
		b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-scale)), nil))
		scale = 0
	}
	if n.neg {
		b.Neg(b)
	}
	return Decimal{Big: b, Scale: int32(scale)}
}

// int64 returns n as an int64 when it is a whole number in range.
func (n number) int64() (v int64, whole, inRange bool) {
	if n.scale > 0 {
		return 0, false, false
	}
	if n.big != nil || n.scale < 0 && (-n.scale >= len(pow10) || n.mant > (1<<63)/pow10[-n.scale]) {
		return 0, true, false
	}
	m := n.mant
	if n.scale < 0 {
		m *= pow10[-n.scale]
	}
	switch {
	case !n.neg && m <= 1<<63-1:
		return int64(m), true, true
	case n.neg && m <= 1<<63:
		return -int64(m-1) - 1, true, true
	}
	return 0, true, false
}

func isDigitOrSign(c byte) bool { return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' }
