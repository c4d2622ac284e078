package destinations

import (
	"reflect"
	"strings"
	"testing"

	"batchdesk/backend/apperr"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		err  string // substring of the error; "" = success
	}{
		{in: "exports", want: Spec{Kind: KindLocal, Folder: "exports"}},
		{in: "  /var/backups/crm ", want: Spec{Kind: KindLocal, Folder: "/var/backups/crm"}},
		{in: `C:\Users\me\exports`, want: Spec{Kind: KindLocal, Folder: `C:\Users\me\exports`}},
		{in: "oss://my-bucket/backups/2026", want: Spec{Kind: KindOSS, Bucket: "my-bucket", Prefix: "backups/2026"}},
		{in: "oss://my-bucket", want: Spec{Kind: KindOSS, Bucket: "my-bucket"}},
		{in: "OSS://my-bucket/", want: Spec{Kind: KindOSS, Bucket: "my-bucket"}},
		{in: "ftp://me@files.example/exports", want: Spec{Kind: KindFTP, User: "me", Host: "files.example", Dir: "exports"}},
		{in: "ftp://files.example", want: Spec{Kind: KindFTP, Host: "files.example"}},
		{in: "ftp://me@files.example:2121//srv/ftp/out?tls=explicit&epsv=off",
			want: Spec{Kind: KindFTP, User: "me", Host: "files.example", Port: 2121, Dir: "/srv/ftp/out", TLS: true, DisableEPSV: true}},
		{in: "ftp://me@[::1]:21/x?tls=explicit&verify=off", want: Spec{Kind: KindFTP, User: "me", Host: "::1", Port: 21, Dir: "x", TLS: true, NoVerify: true}},
		{in: "ftp://me@h/a%20folder/%E6%95%B0%E6%8D%AE", want: Spec{Kind: KindFTP, User: "me", Host: "h", Dir: "a folder/数据"}},
		{in: "sftp://me@h/exports?key=/home/me/.ssh/id_ed25519", want: Spec{Kind: KindSFTP, User: "me", Host: "h", Dir: "exports", KeyFile: "/home/me/.ssh/id_ed25519"}},
		{in: "sftp://me@h:2222/?hostkey=SHA256:abcdefghijklmnopqrstuvwxyz", want: Spec{Kind: KindSFTP, User: "me", Host: "h", Port: 2222, HostKeyHash: "SHA256:abcdefghijklmnopqrstuvwxyz"}},

		{in: "sftp://me@h/?hostkey=SHA256:ab+cd/efghijklmnopqrstu", want: Spec{Kind: KindSFTP, User: "me", Host: "h", HostKeyHash: "SHA256:ab+cd/efghijklmnopqrstu"}},

		{in: "", err: "no destination"},
		{in: "ftp://me:secret@h/x", err: "do not put a password"},
		{in: "sftp://me:@h/x", err: "do not put a password"},
		{in: "s3://bucket/x", err: "unknown destination kind"},
		{in: "oss://me@bucket/x", err: "oss://bucket/prefix"},
		{in: "oss://bucket:99/x", err: "oss://bucket/prefix"},
		{in: "oss://bucket/x?endpoint=evil", err: "oss://bucket/prefix"},
		{in: "oss:///prefix", err: "needs a bucket"},
		{in: "ftp:///dir", err: "needs a host"},
		{in: "ftp://h:0/x", err: "port"},
		{in: "ftp://h:70000/x", err: "port"},
		{in: "ftp://h:abc/x", err: "cannot be read"},
		{in: "ftp://h/../etc", err: `".."`},
		{in: "ftp://h/a/%2e%2e/b", err: `".."`},
		{in: "ftp://h/a//b", err: "empty"},
		{in: "ftp://h/a%00b", err: "not allowed"},
		{in: "ftp://h/a%0d%0aDELE%20x", err: "not allowed"},
		{in: "ftp://h/x\r\nDELE x", err: "control character"},
		{in: "ftp://h/x?tls=implicit", err: "tls must be"},
		{in: "ftp://h/x?tls=explicit&tls=off", err: "2 times"},
		{in: "ftp://h/x?verify=off", err: "only makes sense"},
		{in: "ftp://h/x?key=/k", err: "unknown option"},
		{in: "ftp://h/x#frag", err: "not allowed"},
		{in: "ftp:h/x", err: "ftp://"},
		{in: "oss:/b/x", err: "oss://"},
		{in: "ftp:/h/x", err: "ftp://"},
		{in: "sftp://h/x", err: "needs a user"},
		{in: "sftp://me@h/x?hostkey=MD5:aa", err: "SHA256"},
		{in: "sftp://me@h/x?key=", err: "key= needs"},
		{in: "sftp://me@h/x?tls=explicit", err: "unknown option"},
		{in: "sftp://me%20you@h/x", err: "space"},
		{in: "ftp://h%2F/x", err: "cannot be read"},
		{in: "\xff\xfe", err: "control character"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSpec(tc.in)
			if tc.err != "" {
				if err == nil || apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseSpec(%q) = %+v, %v; want invalid saying %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseSpec(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
			back, err := ParseSpec(got.String())
			if err != nil || !reflect.DeepEqual(back, got) {
				t.Fatalf("round trip through %q: %+v, %v", got.String(), back, err)
			}
		})
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"nas", "Customer backup", "oss-prod_2026.v2", "客户备份"} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", " x", "x ", "a/b", `a\b`, "c:", "ftp://x", ".", "..", "~me", "a\nb", strings.Repeat("x", 65), "\xff"} {
		if err := ValidateName(bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// FuzzParseSpec: hostile DEST strings never panic; what parses writes back
// to a string that parses to the same spec; a parsed spec never holds a
// control character, a ".." folder part or a password.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		"exports", "oss://b/p", "ftp://me@h:21/d?tls=explicit&epsv=off", "sftp://me@h/d?key=/k&hostkey=SHA256:abcdefghijklmnopqrst",
		"ftp://me:pw@h/d", "ftp://h//abs/x", "ftp://[::1]:2121/x", "ftp://h/%2e%2e", "sftp://u@h/a%2Fb", "ftp://h/x?verify=off&tls=on",
		"oss://b/a b/ c", "ftp://u%40x@h/d", "ftp://h/%00", "ftp://h:/x", "ftp://@h/x", "sftp://u@h/?key=a%26b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpec(s)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("ParseSpec(%q): code %s: %v", s, apperr.CodeOf(err), err)
			}
			return
		}
		if sp.Kind != KindLocal {
			for _, part := range []string{sp.Dir, sp.Prefix, sp.User, sp.Host} {
				if strings.ContainsAny(part, "\x00\r\n") {
					t.Fatalf("ParseSpec(%q) kept a control character: %+v", s, sp)
				}
				for _, el := range strings.Split(part, "/") {
					if el == ".." {
						t.Fatalf("ParseSpec(%q) kept '..': %+v", s, sp)
					}
				}
			}
		}
		str := sp.String()
		back, err := ParseSpec(str)
		if err != nil || !reflect.DeepEqual(back, sp) {
			t.Fatalf("ParseSpec(%q) = %+v; its String %q parses to %+v, %v", s, sp, str, back, err)
		}
	})
}
