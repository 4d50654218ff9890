package gen

import "strings"

// The placeholders of Topic texts (see Topic), by index.
const (
	vWhen = iota
	vDay
	vDate
	vSite
	vDept
	vStaff
	vStaffRef
	vWho
	vAmount
	vWait
	vOrder
	vProduct
	vStore
	vOrg
	vCatName
	vName
	vSubject
	vHandling
	vChannel
	vPhone
	vMember
	nVars
)

var varIndex = map[string]int{"when": vWhen, "day": vDay, "date": vDate, "site": vSite, "dept": vDept,
	"staff": vStaff, "staffref": vStaffRef, "who": vWho, "amount": vAmount, "wait": vWait, "order": vOrder,
	"product": vProduct, "store": vStore, "org": vOrg, "catname": vCatName, "name": vName,
	"subject": vSubject, "handling": vHandling, "channel": vChannel, "phone": vPhone, "member": vMember}

// vars are the values of one case's placeholders.
type vars [nVars]string

// fill replaces the placeholders of s; unknown ones stay as they are.
func (v *vars) fill(s string) string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 64)
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			break
		}
		if k, ok := varIndex[s[1:j]]; ok {
			b.WriteString(v[k])
		} else {
			b.WriteString(s[:j+1])
		}
		s = s[j+1:]
		i = strings.IndexByte(s, '{')
	}
	b.WriteString(s)
	return b.String()
}
