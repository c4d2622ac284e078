package mapping

// synonyms are other names consultants' files use for the demo CRM's
// fields (DESIGN §2), keyed by field API name; they count for any object
// that has the field. Spellings are normalised before use.
var synonyms = map[string][]string{
	"name":              {"full name", "名称", "姓名", "名字", "全名"},
	"email":             {"e-mail", "email address", "e-mail address", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址", "电邮"},
	"phone":             {"telephone", "tel", "mobile", "mobile phone", "cell", "cell phone", "phone number", "business phone", "work phone", "手机", "电话", "手机号", "手机号码", "联系电话", "电话号码", "座机", "移动电话"},
	"industry":          {"industry type", "sector", "行业", "所属行业", "行业类型", "行业分类"},
	"annual_revenue":    {"revenue", "annual revenue", "turnover", "annual sales", "年收入", "年营业额", "营业额", "年销售额", "营收", "年营收"},
	"employees":         {"employee count", "number of employees", "no of employees", "num employees", "headcount", "staff", "员工数", "员工人数", "人数", "雇员人数", "员工数量"},
	"website":           {"web site", "web", "url", "homepage", "home page", "site", "网站", "网址", "官网", "主页", "公司网站"},
	"founded_on":        {"founded", "founded date", "founding date", "date founded", "established", "established on", "成立日期", "成立时间", "创立日期", "创建年份"},
	"is_key_account":    {"key account", "key", "vip", "strategic account", "重点客户", "是否重点客户", "大客户", "关键客户"},
	"parent_account_id": {"parent account", "parent", "parent company", "parent account name", "parent account id", "上级客户", "母公司", "父客户", "上级公司", "上级单位"},
	"account_no":        {"account number", "account no", "account num", "account code", "customer number", "customer no", "customer code", "客户编号", "客户号", "客户编码", "客户代码"},
	"team_read_write":   {"team", "team members", "read write team", "相关团队", "团队成员", "读写团队", "团队读写", "团队"},
	"team_read_only":    {"read only team", "viewers", "read only members", "只读团队", "团队只读", "只读成员"},
	"account_id":        {"account", "account name", "company", "company name", "organization", "organisation", "customer", "customer name", "客户", "客户名称", "公司", "公司名称", "所属客户", "所属公司", "account id"},
	"title":             {"job title", "position", "role", "职位", "职务", "头衔", "岗位"},
	"birthday":          {"birth date", "date of birth", "dob", "birthdate", "生日", "出生日期", "出生年月日"},
	"lead_source":       {"lead source", "source", "线索来源", "来源", "客户来源", "渠道"},
	"sku":               {"product code", "item code", "sku code", "part number", "item number", "article number", "产品编码", "产品编号", "货号", "物料编码", "物料号"},
	"category":          {"product category", "product family", "family", "type", "产品类别", "类别", "分类", "产品分类", "产品类型"},
	"unit_price":        {"price", "list price", "unit price", "sales price", "单价", "价格", "售价", "销售单价"},
	"active":            {"is active", "enabled", "启用", "是否启用", "有效", "是否有效", "在售"},
	"stage":             {"sales stage", "opportunity stage", "阶段", "销售阶段", "商机阶段"},
	"amount":            {"deal amount", "opportunity amount", "value", "金额", "商机金额", "总金额", "预计金额"},
	"close_date":        {"closing date", "expected close date", "close", "预计成交日期", "结束日期", "成交日期", "关闭日期", "预计结单日期"},
	"probability":       {"win probability", "chance", "probability %", "赢率", "成交概率", "概率", "可能性", "赢单率"},
	"opportunity_id":    {"opportunity", "opportunity name", "opportunity id", "deal", "deal name", "商机", "商机名称", "所属商机"},
	"product_id":        {"product", "product name", "product id", "item", "item name", "产品", "产品名称", "商品", "商品名称"},
	"quantity":          {"qty", "units", "数量", "购买数量"},
	"discount":          {"discount %", "discount rate", "折扣", "折扣率", "优惠"},
	"owner_id":          {"owner", "account owner", "record owner", "owner name", "owner email", "assigned to", "sales rep", "负责人", "所有人", "客户负责人", "归属人", "销售负责人", "owner id"},
	"created_by":        {"creator", "创建人"},
	"created_at":        {"created date", "created on", "create date", "creation date", "date created", "创建时间", "创建日期"},
	"last_modified_by":  {"modified by", "updated by", "最后修改人", "修改人"},
	"last_modified_at":  {"last modified date", "last modified", "modified date", "updated at", "last updated", "最后修改时间", "修改时间", "更新时间"},
	"id":                {"record id", "uuid", "系统id"},
	"life_status":       {"life status", "生命状态"},
}

// objectSynonyms are names that mean a field only on one object: "Company"
// is an Account's name but a Contact's account.
var objectSynonyms = map[string]map[string][]string{
	"Account": {
		"name": {"company", "company name", "account name", "customer", "customer name", "organization", "organisation", "公司名称", "客户名称", "公司", "企业名称", "单位名称", "客户"},
	},
	"Contact": {
		"name": {"contact", "contact name", "联系人", "联系人姓名"},
	},
	"Product": {
		"name": {"product", "product name", "item name", "产品名称", "品名", "商品名称"},
	},
	"Opportunity": {
		"name": {"opportunity", "opportunity name", "deal", "deal name", "商机名称"},
	},
}
