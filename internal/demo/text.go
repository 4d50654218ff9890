package demo

// The phrases the sample cases are built from. Placeholders in braces are
// filled per case (see fill in plan.go):
//
//	{when}     when it happened: 3月5日上午9点左右
//	{day}      the day it happened: 3月5日
//	{site}     the ward, clinic or place: 心内科二病区
//	{dept}     the clinical department of the site: 心内科
//	{staff}    the staff member as the complainant describes them: 护士王丽 / 一名护士
//	{staffref} the staff member as the department's reply names them: 当事护士王丽 / 当班护士
//	{who}      the patient, a relative of the complainant: 其父亲
//	{amount}   a sum of money in yuan
//	{wait}     a waiting time: 两个多小时

// topic is one kind of matter people complain about, with what the
// complaint, the demands and the department's reply say about it.
type topic struct {
	kind    string   // pack kind code
	ward    bool     // it happens to an inpatient (so it can come up at the discharge follow-up)
	cat     string   // pack category code
	subject string   // 事由
	sites   []string // "科室/地点"
	staff   string   // the role of the staff member concerned, "" if none
	stories []string // what happened, one or two sentences
	demands []string // cases.Demands codes
	notes   []string // demand notes (诉求说明)
	evid    []string // the evidence types complainants bring
	reply   []string // the finding and measures of the department's reply
	amount  [2]int   // range of {amount}
}

var topics = []topic{
	// ---- 服务态度 (attitude → 监察室)
	{kind: "complaint", cat: "attitude", subject: "护士抽血时态度生硬",
		sites: []string{"检验科/门诊一楼抽血室", "检验科/急诊化验室采血窗口"}, staff: "护士",
		stories: []string{
			"{when}，投诉人在{site}抽血，{staff}连扎两针未成功，投诉人询问能否换人，对方不耐烦地说“血管细怪谁”。",
			"{when}，投诉人陪{who}到{site}抽血，{who}年纪大血管不好找，{staff}一边扎针一边抱怨，语气生硬，还催促家属“别挡着后面的人”。",
		},
		demands: []string{"apology", "discipline"}, evid: []string{"recording"},
		reply: []string{"经调阅{site}监控并与当事人谈话，{staffref}在采血过程中确有语气生硬、解释不到位的情况。科室已对其进行批评教育，责令其书面检查，并当面向您致歉。",
			"经核实，{staffref}在两次穿刺失败后未及时请高年资护士协助，沟通方式欠妥。检验科已组织全科进行采血操作及服务礼仪再培训。"}},
	{kind: "complaint", cat: "attitude", subject: "门诊医生问诊不耐烦，不让患者把话说完",
		sites: []string{"消化内科/门诊三楼消化内科诊室", "神经内科/门诊三楼神经内科诊室", "内分泌科/门诊三楼内分泌科诊室"}, staff: "医生",
		stories: []string{
			"{when}，投诉人在{site}就诊，刚说了两句病情{staff}就打断，不到三分钟就开好检查单让其出去，询问检查目的也不予解释。",
			"{when}，投诉人带{who}到{site}复诊，{staff}全程看电脑不抬头，{who}提问时被说“你说的这些没用”，家属很不满。",
		},
		demands: []string{"apology", "explanation"}, evid: []string{"document"},
		reply: []string{"经{dept}调查，{staffref}当日接诊量较大，与患者沟通时缺乏耐心，态度欠妥属实。科室已对其进行诫勉谈话并扣发当月绩效奖金，{staffref}已电话向您致歉。",
			"经调取当日门诊记录并询问当事医生，{staffref}对病情及检查目的解释不够充分。{dept}已要求门诊医生严格落实首诊告知制度，后续将安排主任医师为您复诊。"}},
	{kind: "complaint", cat: "attitude", subject: "导医台工作人员态度冷漠，问路被敷衍",
		sites: []string{"门诊部/门诊一楼导医台", "门诊部/住院部一楼服务台"}, staff: "导医",
		stories: []string{
			"{when}，投诉人在{site}询问核磁共振检查地点，{staff}头也不抬地说“自己看指示牌”，投诉人年纪大看不清，来回跑了三趟。",
			"{when}，投诉人推着轮椅上的{who}在{site}咨询住院手续，{staff}正在看手机，随手一指就不再理会。",
		},
		demands: []string{"apology", "improvement"},
		reply:   []string{"经调阅监控核实，{staffref}当时未主动起身引导，服务态度冷淡属实。门诊部已对其进行批评教育，并在全体导医中开展“首问负责、主动引导”服务规范培训。"}},
	{kind: "complaint", cat: "attitude", subject: "保安对探视家属大声呵斥",
		sites: []string{"保卫科/住院部一楼电梯口", "保卫科/急诊大厅"}, staff: "保安",
		stories: []string{
			"{when}，投诉人到{site}准备上楼探视{who}，因未带陪护证被{staff}拦下，对方大声呵斥“听不懂人话吗”，周围很多人围观。",
			"{when}，投诉人在{site}询问探视时间，{staff}语气粗暴，推搡投诉人肩膀，让其“赶紧出去”。",
		},
		demands: []string{"apology", "discipline"}, evid: []string{"video", "photo"},
		reply: []string{"经保卫科调阅监控核实，{staffref}在执行探视管理规定时言语粗暴、方式不当。保卫科已责令其书面检查，扣发当月奖金并调离该岗位，物业公司已派负责人向您当面道歉。"}},
	{kind: "complaint", cat: "attitude", subject: "收费员态度恶劣，将零钱扔回窗口",
		sites: []string{"财务科/门诊二楼收费处", "财务科/急诊收费窗口"}, staff: "收费员",
		stories: []string{
			"{when}，投诉人在{site}缴费时询问费用明细，{staff}不耐烦地把找零和发票直接扔出窗口，硬币掉了一地。",
		},
		demands: []string{"apology", "discipline"}, evid: []string{"receipt", "video"},
		reply: []string{"经调阅窗口监控，{staffref}在找零时动作随意、言语生硬，服务态度差属实。财务科已对其通报批评并扣发当月奖金，{staffref}已当面向您道歉。"}},
	{kind: "complaint", cat: "attitude", subject: "急诊医生与患者家属发生争执",
		sites: []string{"急诊科/急诊内科诊室", "急诊科/急诊外科诊室"}, staff: "医生",
		stories: []string{
			"{when}，投诉人送{who}到{site}就诊，因候诊较久询问还要等多久，{staff}称“嫌慢就去别的医院”，双方发生争执。",
			"{when}，{who}在{site}缝合伤口后，家属询问注意事项，{staff}回答“网上都有，自己去查”，态度冷漠。",
		},
		demands: []string{"apology", "explanation"}, evid: []string{"recording", "video"},
		reply: []string{"经急诊科调查，当时急诊就诊人数较多，{staffref}在家属询问时未能耐心解释，言语不当属实。科室已对其进行批评教育，并调整急诊高峰时段医生排班，安排专人做好候诊解释工作。"}},
	{kind: "complaint", cat: "attitude", subject: "药房窗口工作人员答复生硬，拒绝解释用药方法",
		sites: []string{"药剂科/门诊西药房", "药剂科/门诊中药房"}, staff: "药师",
		stories: []string{
			"{when}，投诉人在{site}取药时询问药品的服用方法，{staff}只说“看说明书”，投诉人再问一次便被要求“后面还有人，别耽误时间”。",
		},
		demands: []string{"apology", "improvement"},
		reply:   []string{"经药剂科核实，{staffref}当时未履行用药交代职责，答复生硬。科室已对其批评教育，并在门诊药房增设用药咨询窗口，由专职药师为患者解答用药问题。"}},

	// ---- 医疗质量 (medical → 医务处)
	{kind: "complaint", ward: true, cat: "medical", subject: "术后切口感染，怀疑换药处理不当",
		sites: []string{"普外科/普外科一病区", "骨科/骨科二病区"}, staff: "医生",
		stories: []string{
			"{who}于上月在{site}行手术，出院后第五天切口红肿流脓，到外院就诊诊断为切口感染，家属认为住院期间换药不规范。",
			"{who}在{site}手术后切口迟迟不愈合，家属多次向{staff}反映，对方只说“正常现象，再观察”，至今已一个多月。",
		},
		demands: []string{"explanation", "compensation"}, evid: []string{"document", "photo"}, notes: []string{"要求医院承担外院治疗费用{amount}元", "要求医院说明感染原因"},
		reply:  []string{"医务处组织{dept}及院感科对病历进行了讨论，手术及换药操作符合诊疗规范，切口感染属术后可能出现的并发症，但术后宣教及随访不到位。科室已安排主任医师为患者免费复诊换药，并加强出院随访。"},
		amount: [2]int{800, 6000}},
	{kind: "complaint", cat: "medical", subject: "检查报告结果前后不一致",
		sites: []string{"放射科/放射科CT室", "超声科/超声科检查室"}, staff: "医生",
		stories: []string{
			"{who}{when}在{site}做检查，报告提示“肝脏占位”，三天后复查又说未见异常，家属对两次结果不一致非常担心，怀疑报告出错。",
		},
		demands: []string{"explanation"}, evid: []string{"document"},
		reply: []string{"经医务处组织{dept}专家复阅两次影像资料，首次检查因患者体位及肠气干扰存在可疑征象，复查已排除占位性病变，报告书写用语不够严谨。科室已修订报告审核流程，实行双人复核。"}},
	{kind: "complaint", ward: true, cat: "medical", subject: "医生未充分告知手术风险",
		sites: []string{"骨科/骨科二病区", "泌尿外科/泌尿外科病区"}, staff: "医生",
		stories: []string{
			"{who}在{site}行手术，术后出现下肢麻木，家属称术前谈话时{staff}只说“小手术没问题”，未告知可能出现神经损伤。",
		},
		demands: []string{"explanation", "compensation"}, evid: []string{"document", "recording"}, notes: []string{"要求查看手术知情同意书并作出解释"},
		reply: []string{"医务处调阅了病历及知情同意书，术前已书面告知相关风险，但{staffref}口头沟通不够充分、用语不当。科室已安排主任为患者制订康复方案，并对术前谈话质量进行专项检查。"}},
	{kind: "complaint", cat: "medical", subject: "腹痛按胃炎处理，次日确诊阑尾炎",
		sites: []string{"急诊科/急诊内科诊室"}, staff: "医生",
		stories: []string{
			"{who}{when}因腹痛到{site}就诊，{staff}诊断为急性胃炎，输液后回家，次日疼痛加重再次就诊确诊为急性阑尾炎并手术。",
		},
		demands: []string{"explanation", "compensation"}, evid: []string{"document", "receipt"}, notes: []string{"要求退还首次就诊费用并赔偿误工费{amount}元"},
		reply:  []string{"经医务处组织专家讨论，患者首诊时体征不典型，诊疗过程基本符合规范，但{staffref}未充分交代病情变化时需及时复诊。医院已减免患者首次就诊费用，并对急诊首诊医生开展急腹症鉴别诊断培训。"},
		amount: [2]int{500, 3000}},
	{kind: "complaint", cat: "medical", subject: "儿童用药剂量与说明书不符",
		sites: []string{"儿科/儿科门诊"}, staff: "医生",
		stories: []string{
			"{when}，其孩子在{site}就诊，{staff}开具的退烧药剂量比说明书建议量多一倍，家属回家后发现，担心对孩子有影响。",
		},
		demands: []string{"explanation", "improvement"}, evid: []string{"document", "photo"},
		reply: []string{"经医务处及药剂科核查，处方剂量系录入时单位选择错误，药师审方时未能发现。医院已向患者家属说明情况并安排复诊，孩子目前无不良反应；处方医生及审方药师均已按规定处理，合理用药系统已增加儿童剂量拦截提醒。"}},
	{kind: "complaint", ward: true, cat: "medical", subject: "出院小结记录有误影响报销",
		sites: []string{"心内科/心内科二病区", "呼吸内科/呼吸内科一病区"}, staff: "医生",
		stories: []string{
			"{who}从{site}出院后，家属发现出院小结中诊断和住院天数均有错误，单位报销时被退回，要求科室更正。",
		},
		demands: []string{"improvement", "explanation"}, evid: []string{"document"},
		reply: []string{"经核实，出院小结系{staffref}书写时复制模板未修改所致。科室已当日为您更正并加盖病案专用章，医务处已将该病历纳入本月病历质量检查通报。"}},

	// ---- 护理服务 (nursing → 护理部)
	{kind: "complaint", ward: true, cat: "nursing", subject: "夜间呼叫铃长时间无人应答",
		sites: []string{"呼吸内科/呼吸内科一病区", "神经内科/神经内科病区", "心内科/心内科二病区"}, staff: "护士",
		stories: []string{
			"{day}夜里，{who}在{site}住院，输液快结束时按呼叫铃，近二十分钟无人应答，家属到护士站找人时{staff}正在玩手机。",
			"{who}在{site}住院，凌晨两点多呼吸不畅按铃求助，过了十几分钟才有人来，家属非常后怕。",
		},
		demands: []string{"apology", "improvement"}, evid: []string{"video", "recording"},
		reply: []string{"经护理部调查，当晚该病区仅两名护士值班且同时处理一名危重患者抢救，呼叫应答不及时属实；{staffref}在护士站使用手机的情况已予以批评。护理部已调整夜班人力，增加弹性排班，并要求呼叫铃五分钟内必须应答。"}},
	{kind: "complaint", cat: "nursing", subject: "输液结束未及时拔针导致回血",
		sites: []string{"儿科/急诊儿科输液室", "儿科/儿科输液室"}, staff: "护士",
		stories: []string{
			"{when}，其孩子在{site}输液，药水滴完后家属多次呼叫，{staff}迟迟未来拔针，导致输液管回血，孩子哭闹不止。",
		},
		demands: []string{"apology", "improvement"}, evid: []string{"photo", "video"},
		reply: []string{"经核实，当日{site}输液患者较多，巡视不到位导致拔针不及时。护理部已在输液室增设输液监控呼叫系统，高峰时段增派护士一名，{staffref}已向患儿家属致歉。"}},
	{kind: "complaint", ward: true, cat: "nursing", subject: "卧床老人翻身不及时，骶尾部出现压红",
		sites: []string{"神经内科/神经内科病区", "老年医学科/老年病区"}, staff: "护士",
		stories: []string{
			"{who}中风后在{site}住院，家属探视时发现骶尾部皮肤发红破损，询问后得知已有大半天没有翻身。",
		},
		demands: []string{"explanation", "improvement"}, evid: []string{"photo"},
		reply: []string{"护理部组织伤口护理小组查看，患者骶尾部为一期压力性损伤，已给予减压及敷料保护，目前好转。经查，科室翻身记录与实际执行不符，护理部已对责任护士及护士长进行处理，并开展压疮防范专项督查。"}},
	{kind: "complaint", ward: true, cat: "nursing", subject: "护工收费高且照护不到位",
		sites: []string{"护理部/住院部八楼骨科病区", "护理部/住院部七楼普外科病区"}, staff: "护工",
		stories: []string{
			"{who}在{site}住院期间请了护工，每天收费{amount}元，但{staff}经常离岗，{who}大小便无人处理，家属多次发现床单潮湿。",
		},
		demands: []string{"refund", "replacement"}, evid: []string{"receipt", "photo"}, notes: []string{"要求退还部分护工费并更换护工"},
		reply:  []string{"护理部会同护工管理公司调查，{staffref}存在离岗、照护不到位的问题。公司已为您更换护工并退还三天护工费，{staffref}已被辞退；护理部将加强对陪护公司的考核。"},
		amount: [2]int{180, 300}},
	{kind: "complaint", ward: true, cat: "nursing", subject: "换药时未拉床帘，未保护患者隐私",
		sites: []string{"妇产科/妇产科病区", "普外科/普外科一病区"}, staff: "护士",
		stories: []string{
			"{when}，投诉人在{site}住院，{staff}换药时没有拉床帘，病房里还有其他患者家属，投诉人感到非常难堪。",
		},
		demands: []string{"apology", "improvement"},
		reply:   []string{"经护理部核实，{staffref}在操作前未落实隐私保护要求，已向您当面致歉。科室已组织全体护士学习患者隐私保护规定，护理部将把隐私保护纳入每月护理质量检查。"}},
	{kind: "complaint", ward: true, cat: "nursing", subject: "护士交接班遗漏医嘱，漏服一次药",
		sites: []string{"心内科/心内科二病区", "肾内科/肾内科病区"}, staff: "护士",
		stories: []string{
			"{who}在{site}住院，家属发现当天晚上的降压药没有发，询问后{staff}才说交接班时漏掉了。",
		},
		demands: []string{"explanation", "improvement"},
		reply:   []string{"经核查，夜班交接时{staffref}漏交一项口服医嘱，患者漏服降压药一次，经医生评估未造成不良后果。护理部已按不良事件上报处理，科室已启用电子化交接班核对单。"}},

	// ---- 收费价格 (charges → 财务科)
	{kind: "complaint", cat: "charges", subject: "门诊收费多收检查费",
		sites: []string{"财务科/门诊二楼收费处", "财务科/门诊一楼收费处"}, staff: "收费员",
		stories: []string{
			"{when}，投诉人在{site}缴费，回家核对发票发现彩超检查被收了两次，多收{amount}元。",
			"投诉人{when}就诊后核对费用清单，发现只做了一项血常规却收了生化全套的费用，多收{amount}元。",
		},
		demands: []string{"refund", "explanation"}, evid: []string{"receipt"}, notes: []string{"要求退还多收的{amount}元"},
		reply:  []string{"经财务科调取收费记录并与检查科室核对，系医生开单后修改检查项目、原项目未及时作废导致重复收费，多收{amount}元属实。已为您办理退费，并对相关收费及开单人员进行了培训。"},
		amount: [2]int{60, 480}},
	{kind: "complaint", ward: true, cat: "charges", subject: "出院费用清单中有未使用的耗材",
		sites: []string{"骨科/骨科二病区", "普外科/普外科一病区", "心内科/心内科二病区"},
		stories: []string{
			"{who}从{site}出院，家属逐项核对住院费用清单，发现有多项从未使用过的一次性耗材，合计{amount}元。",
		},
		demands: []string{"refund", "explanation"}, evid: []string{"receipt", "document"}, notes: []string{"要求逐项说明并退还未使用耗材费用{amount}元"},
		reply:  []string{"财务科会同{dept}及物价办逐项核对，其中部分耗材为术中实际使用，另有两项系科室记账错误，共计{amount}元，已为您办理退费。科室已对记账护士进行批评，物价办将开展住院收费专项检查。"},
		amount: [2]int{120, 1500}},
	{kind: "complaint", cat: "charges", subject: "退费手续繁琐，跑了三趟未办成",
		sites: []string{"财务科/门诊二楼收费处", "财务科/住院处结算窗口"}, staff: "收费员",
		stories: []string{
			"投诉人{when}取消了一项检查需要退费，{site}要求先找医生签字，医生又让回收费处，来回跑了三趟仍未办成。",
		},
		demands: []string{"refund", "improvement"}, evid: []string{"receipt"},
		reply:  []string{"经核实，门诊退费需开单医生确认，但相关告知不清导致您多次往返。财务科已为您办理退费，并简化未执行项目退费流程，由收费窗口直接与科室线上确认。"},
		amount: [2]int{50, 600}},
	{kind: "complaint", cat: "charges", subject: "取消的检查费用未退回",
		sites: []string{"放射科/放射科MRI室", "超声科/超声科检查室"},
		stories: []string{
			"{who}{when}预约的{site}检查因设备故障取消，已缴的{amount}元至今未退，多次询问均说“等通知”。",
		},
		demands: []string{"refund"}, evid: []string{"receipt", "chat"}, notes: []string{"要求尽快退还{amount}元"},
		reply:  []string{"经财务科核实，该笔费用因设备故障取消检查，科室未及时在系统中撤销，导致无法自动退费。现已为您原路退回{amount}元，{dept}已落实检查取消后当日撤销的制度。"},
		amount: [2]int{150, 900}},
	{kind: "complaint", cat: "charges", subject: "自助机缴费重复扣款",
		sites: []string{"门诊部/门诊一楼自助缴费机", "门诊部/门诊二楼自助服务区"},
		stories: []string{
			"{when}，投诉人在{site}用手机扫码缴费，页面卡住后重新支付，结果被扣了两次款共{amount}元。",
		},
		demands: []string{"refund"}, evid: []string{"chat", "receipt"}, notes: []string{"要求退还重复扣除的款项"},
		reply:  []string{"经财务科与第三方支付平台对账，确认重复扣款属实，款项已原路退回，请注意查收。信息科已联系自助机厂家修复支付超时重复提交的问题。"},
		amount: [2]int{30, 400}},
	{kind: "complaint", ward: true, cat: "charges", subject: "住院押金退还不及时",
		sites: []string{"财务科/住院处结算窗口"},
		stories: []string{
			"{who}出院已两周，住院押金余额{amount}元一直没有退回，投诉人多次到{site}询问，均称在走流程。",
		},
		demands: []string{"refund", "explanation"}, evid: []string{"receipt"},
		reply:  []string{"经核实，因医保结算数据上传延迟，押金余额未能及时退还。财务科已为您办理退款{amount}元，并安排专人每日跟踪医保结算异常的出院病人。"},
		amount: [2]int{500, 5000}},

	// ---- 医保报销 (insurance → 医保办)
	{kind: "complaint", cat: "insurance", subject: "医保卡结算失败被要求全额自费",
		sites: []string{"医保办/门诊二楼医保窗口", "财务科/门诊一楼收费处"},
		stories: []string{
			"{when}，投诉人在{site}缴费时医保卡结算失败，工作人员要求先全额自费，称以后可以报销，但没有告知需要哪些材料。",
		},
		demands: []string{"explanation", "refund"}, evid: []string{"receipt"}, notes: []string{"要求按医保结算并退还自付部分{amount}元"},
		reply:  []string{"经医保办核实，当日医保系统接口短时故障导致结算失败。医保办已为您办理医保补结算，退还统筹支付部分{amount}元，并完善了系统故障时的告知流程。"},
		amount: [2]int{100, 2000}},
	{kind: "complaint", ward: true, cat: "insurance", subject: "异地医保已备案仍无法直接结算",
		sites: []string{"医保办/住院处结算窗口"},
		stories: []string{
			"{who}是外地医保，入院前已办理异地就医备案，出院时{site}却称无法直接结算，需全额垫付{amount}元回参保地报销。",
		},
		demands: []string{"explanation"}, evid: []string{"document", "receipt"},
		reply:  []string{"经医保办核查，患者备案信息中就医地选择有误，导致无法联网结算。医保办已协助您联系参保地更正备案，并为您办理了出院结算的补结算手续。"},
		amount: [2]int{3000, 20000}},
	{kind: "complaint", cat: "insurance", subject: "门诊慢性病待遇未按规定报销",
		sites: []string{"医保办/门诊二楼医保窗口"},
		stories: []string{
			"投诉人已办理门诊慢性病（糖尿病）待遇，但近两个月在{site}结算时均按普通门诊报销，自付多了{amount}元。",
		},
		demands: []string{"refund", "explanation"}, evid: []string{"receipt", "document"},
		reply:  []string{"经医保办核实，系医生开具处方时未选择慢性病病种，导致按普通门诊结算。医保办已为您重新结算并退还差额{amount}元，并已在医生工作站增加慢病患者提醒。"},
		amount: [2]int{80, 600}},
	{kind: "complaint", ward: true, cat: "insurance", subject: "医保目录内药品被按自费收取",
		sites: []string{"心内科/心内科二病区", "呼吸内科/呼吸内科一病区"},
		stories: []string{
			"{who}在{site}住院，出院结算时发现一种医保目录内的药品被按自费收取，{amount}元全部自付，家属认为不合理。",
		},
		demands: []string{"refund", "explanation"}, evid: []string{"receipt", "document"},
		reply:  []string{"经医保办审核，该药品为医保限定支付范围药品，患者病情符合支付条件，科室未按规定标注导致按自费结算。现已为您重新结算，退还{amount}元，并对科室医保专管员进行了培训。"},
		amount: [2]int{200, 1800}},
	{kind: "complaint", cat: "insurance", subject: "生育保险报销材料多次被退回",
		sites: []string{"医保办/门诊二楼医保窗口"},
		stories: []string{
			"投诉人分娩后到{site}办理生育保险报销，前后三次被告知材料不全，每次只说缺一样，要求一次性告知。",
		},
		demands: []string{"improvement", "explanation"}, evid: []string{"document"},
		reply: []string{"经医保办核实，窗口工作人员未落实一次性告知制度。医保办已对其批评教育，已为您办结报销手续，并在窗口公示生育保险报销材料清单。"}},

	// ---- 后勤保障 (logistics → 总务处)
	{kind: "complaint", ward: true, cat: "logistics", subject: "住院部卫生间漏水无人维修",
		sites: []string{"普外科/住院部六楼普外科病区", "骨科/住院部八楼骨科病区"},
		stories: []string{
			"{site}病房卫生间水管漏水已三天，地面湿滑，投诉人多次向护士站反映，一直无人来修。",
			"{who}在{site}住院，卫生间马桶漏水，地上积水，{who}差点滑倒，报修两次都说“已登记”。",
		},
		demands: []string{"improvement"}, evid: []string{"photo", "video"},
		reply: []string{"总务处接到交办单后已于当日派维修人员更换漏水管件，并对该楼层卫生间进行了排查。总务处已调整报修响应流程，病区报修须在两小时内到场处理。"}},
	{kind: "complaint", ward: true, cat: "logistics", subject: "病房空调不制冷，病人闷热难耐",
		sites: []string{"心内科/住院部九楼心内科病区", "肾内科/住院部五楼肾内科病区"},
		stories: []string{
			"{day}起，{site}病房空调一直吹热风，室温很高，{who}整夜睡不着，报修后只来看了一眼就走了。",
		},
		demands: []string{"improvement"}, evid: []string{"photo"},
		reply: []string{"经总务处检查，该病房空调外机压缩机故障，已于次日更换，期间为患者调换了病房。总务处已对全院病房空调开展季前检修。"}},
	{kind: "complaint", cat: "logistics", subject: "停车场保安指挥混乱，车辆堵塞半小时",
		sites: []string{"保卫科/门诊停车场", "保卫科/急诊通道"}, staff: "保安",
		stories: []string{
			"{when}，投诉人送{who}来看病，在{site}排队进场等了{wait}，{staff}指挥混乱，还让车辆随意停在通道上。",
		},
		demands: []string{"improvement"},
		reply:   []string{"保卫科已在高峰时段增派两名保安疏导交通，并在院外路口设置车位余量提示屏，同时开通急诊车辆优先通道。{staffref}已接受岗位培训。"}},
	{kind: "complaint", cat: "logistics", subject: "住院部电梯经常故障，等候时间长",
		sites: []string{"总务处/住院部东侧电梯", "总务处/门诊电梯厅"},
		stories: []string{
			"{site}四部电梯经常只开两部，投诉人推着轮椅等了十几分钟才上去，{day}还被困在电梯里十分钟。",
		},
		demands: []string{"improvement", "explanation"}, evid: []string{"video"},
		reply: []string{"总务处已联系电梯维保单位对该组电梯进行全面检修，更换了故障门机控制器，并安排电梯引导员在高峰时段分流，病人专用梯优先保障轮椅和推床。"}},
	{kind: "complaint", ward: true, cat: "logistics", subject: "病区送餐不准时，饭菜是凉的",
		sites: []string{"营养科/住院部营养食堂"},
		stories: []string{
			"{who}住院期间订餐，午饭经常一点多才送到，饭菜都是凉的，糖尿病餐和普通餐还送错过一次。",
		},
		demands: []string{"improvement", "refund"},
		reply:   []string{"经总务处会同营养科核实，送餐推车不足导致部分病区送餐延迟。现已增加保温送餐车，调整送餐路线，治疗饮食实行床头卡核对，错送餐费已退还。"}},
	{kind: "complaint", ward: true, cat: "logistics", subject: "病区热水供应不正常，无法洗澡",
		sites: []string{"总务处/住院部七楼普外科病区", "总务处/住院部十楼肿瘤科病区"},
		stories: []string{
			"{site}近一周晚上热水时有时无，病人无法洗澡，家属只能到开水间打水，投诉多次没有改善。",
		},
		demands: []string{"improvement"},
		reply:   []string{"总务处检查发现该楼层热水循环泵故障，已于交办当日更换，热水供应已恢复正常。总务处已将病区热水巡检纳入每日设备巡查。"}},

	// ---- 就诊流程 (process → 门诊部)
	{kind: "complaint", cat: "process", subject: "挂号后候诊超过两小时",
		sites: []string{"心内科/门诊三楼内科候诊区", "骨科/门诊二楼骨科诊室"},
		stories: []string{
			"{when}，投诉人挂了{site}的号，等了{wait}还没叫到，叫号屏上很多号被跳过，导医也说不清原因。",
		},
		demands: []string{"explanation", "improvement"}, evid: []string{"receipt", "photo"},
		reply: []string{"经门诊部核实，当日该诊室一名医生临时参加会诊，导致候诊时间延长，未及时告知患者。门诊部已建立医生临时离岗报备和候诊提示制度，并在候诊区增设叫号说明。"}},
	{kind: "complaint", cat: "process", subject: "预约检查时间一拖再拖",
		sites: []string{"超声科/超声科预约台", "放射科/放射科MRI预约台"},
		stories: []string{
			"{who}的检查在{site}预约了两次，两次到了时间都说机器排满让改天，已经拖了一周，影响治疗。",
		},
		demands: []string{"explanation", "improvement"}, evid: []string{"document"},
		reply: []string{"门诊部会同{dept}核实，因设备检修导致预约积压，改约时未优先安排。现已为您安排次日检查，{dept}已延长检查时间至晚八点，以缓解预约压力。"}},
	{kind: "complaint", cat: "process", subject: "专家门诊临时停诊未提前通知",
		sites: []string{"门诊部/门诊四楼专家门诊"},
		stories: []string{
			"投诉人从乡下一早赶到{site}看专家门诊，到了才知道专家停诊，网上预约也没有收到任何短信通知。",
		},
		demands: []string{"apology", "explanation"}, evid: []string{"chat"},
		reply: []string{"经门诊部核查，该专家因临时外出会诊停诊，停诊短信因系统故障未能发出。门诊部已向您致歉并优先为您安排了复诊号源，信息科已修复短信通知功能。"}},
	{kind: "complaint", cat: "process", subject: "检查排队叫号混乱，有人插队",
		sites: []string{"放射科/放射科候检区", "检验科/门诊一楼抽血室"},
		stories: []string{
			"{when}，投诉人在{site}排队，前后等了{wait}，期间多次看到有人被工作人员直接带进去插队，询问时没人解释。",
		},
		demands: []string{"explanation", "improvement"},
		reply:   []string{"经门诊部调阅监控核实，插队者为急诊绿色通道及危重患者，但现场未做解释说明。门诊部已要求在候检区公示优先检查规则，并安排导医做好解释工作。"}},
	{kind: "complaint", cat: "process", subject: "网上预约号与现场号冲突，到院后仍需重新排队",
		sites: []string{"门诊部/门诊一楼挂号处"},
		stories: []string{
			"投诉人在医院公众号预约了{day}上午的号，到{site}取号时被告知预约号已失效，需要重新排队挂号。",
		},
		demands: []string{"explanation", "improvement"}, evid: []string{"chat"},
		reply: []string{"经门诊部与信息科核查，系预约系统与HIS系统号源同步延迟所致。已为您恢复预约并优先就诊，信息科已完成号源同步程序的修复。"}},
	{kind: "complaint", cat: "process", subject: "取检查报告需跑多个窗口",
		sites: []string{"门诊部/门诊一楼报告打印处"},
		stories: []string{
			"投诉人{when}到{site}打印报告，自助机打不出，被指到三楼检验科，又被指回一楼，来回跑了好几趟。",
		},
		demands: []string{"improvement"},
		reply:   []string{"门诊部已在报告打印处设置人工服务窗口，自助机无法打印的报告可现场补打，并已开通手机端报告查询功能。"}},

	// ---- 其他 (other → 医患关系办公室)
	{kind: "complaint", cat: "other", subject: "医院总机电话长时间无人接听",
		sites: []string{"医患关系办公室/医院总机"},
		stories: []string{
			"投诉人{when}连续拨打医院总机十几次均无人接听，想咨询住院病人情况也联系不上病区。",
		},
		demands: []string{"improvement"}, evid: []string{"photo"},
		reply: []string{"经核实，当日总机线路升级期间部分来电未能接通。医院已增加总机坐席，并在医院公众号公布各病区护士站电话。"}},
	{kind: "complaint", ward: true, cat: "other", subject: "住院期间财物丢失",
		sites: []string{"保卫科/住院部七楼普外科病区", "保卫科/住院部九楼心内科病区"},
		stories: []string{
			"{who}在{site}住院期间，放在床头柜里的手机和现金{amount}元丢失，家属怀疑有外人进入病房。",
		},
		demands: []string{"compensation", "explanation"}, notes: []string{"要求医院协助查找并赔偿损失"},
		reply:  []string{"保卫科接报后已调阅病区监控并协助您向公安机关报案。医院已加强病区夜间门禁管理，并在每个病床配备带锁储物柜。"},
		amount: [2]int{300, 2000}},
	{kind: "complaint", cat: "other", subject: "复印病历需多次往返，手续繁琐",
		sites: []string{"病案室/病案复印窗口"},
		stories: []string{
			"投诉人{when}到{site}为{who}复印病历，因缺少委托书被要求回去补材料，再来时又说病历还未归档。",
		},
		demands: []string{"improvement"},
		reply:   []string{"经核实，病案室未一次性告知所需材料及归档时间。医院已开通病历复印线上预约和邮寄服务，并在窗口公示办理须知。"}},
	{kind: "complaint", cat: "other", subject: "院区内有人吸烟无人劝阻",
		sites: []string{"保卫科/门诊大楼楼梯间", "保卫科/住院部安全通道"},
		stories: []string{
			"投诉人多次在{site}闻到烟味，看到有家属在里面抽烟，保安和工作人员经过也不劝阻。",
		},
		demands: []string{"improvement"}, evid: []string{"photo"},
		reply: []string{"医院已在相关区域增设禁烟标识和烟感报警装置，保卫科增加巡查频次，对吸烟人员及时劝阻。"}},

	// ---- 咨询 (consultation)
	{kind: "consultation", cat: "insurance", subject: "咨询住院费用医保报销比例",
		sites:   []string{"医保办/门诊二楼医保窗口"},
		stories: []string{"咨询人称{who}准备住院手术，询问职工医保住院费用的起付线和报销比例，以及需要提前准备哪些材料。"},
		reply:   []string{"已告知：本市职工医保在我院住院的起付标准及报销比例以医保部门公布为准，入院时携带医保卡及身份证办理登记即可直接结算。"}},
	{kind: "consultation", cat: "process", subject: "咨询专家门诊出诊时间及预约方式",
		sites:   []string{"门诊部/门诊一楼导医台"},
		stories: []string{"咨询人询问心内科专家本周出诊时间，以及老年人不会用手机能否电话预约。"},
		reply:   []string{"已告知专家出诊时间，并说明可拨打预约电话或到门诊一楼服务台现场预约，65岁以上老人设有专门窗口。"}},
	{kind: "consultation", cat: "other", subject: "咨询复印病历需要哪些材料",
		sites:   []string{"病案室/病案复印窗口"},
		stories: []string{"咨询人询问为已出院的{who}复印病历用于商业保险理赔，需要带哪些证件，能否代办。"},
		reply:   []string{"已告知需携带患者身份证、代办人身份证及委托书，出院七个工作日后可复印，也可通过医院公众号申请邮寄。"}},
	{kind: "consultation", cat: "medical", subject: "咨询体检报告异常指标是否需要复查",
		sites:   []string{"健康管理中心/体检中心"},
		stories: []string{"咨询人在{site}体检后报告提示甲状腺结节，询问是否需要进一步检查、应挂哪个科室。"},
		reply:   []string{"已联系健康管理中心医生为您解读报告，建议三个月后复查甲状腺彩超，必要时到普外科甲乳门诊就诊。"}},
	{kind: "consultation", cat: "charges", subject: "咨询单人病房床位费标准",
		sites:   []string{"财务科/住院处结算窗口"},
		stories: []string{"咨询人询问住院部单人病房和双人病房的床位费标准，以及医保能报销多少。"},
		reply:   []string{"已告知各类病房床位收费标准及医保支付限额，超出部分需自付，收费标准在住院处公示栏公示。"}},

	// ---- 建议 (suggestion)
	{kind: "suggestion", cat: "process", subject: "建议门诊增加自助缴费机",
		sites:   []string{"门诊部/门诊二楼收费处"},
		stories: []string{"建议人反映上午高峰时{site}排队很长，建议在各楼层增加自助缴费机，并安排志愿者帮助老年人使用。"},
		demands: []string{"improvement"},
		reply:   []string{"感谢您的建议。医院已在门诊二楼、三楼各增设两台自助缴费机，并在高峰时段安排志愿者协助老年患者操作。"}},
	{kind: "suggestion", ward: true, cat: "logistics", subject: "建议住院部增设陪护家属休息区",
		sites:   []string{"总务处/住院部各病区"},
		stories: []string{"建议人陪护{who}住院两周，晚上只能坐在走廊椅子上休息，建议{site}增设陪护休息区或提供折叠床租用。"},
		demands: []string{"improvement"},
		reply:   []string{"感谢您的建议。总务处已在部分病区试点提供陪护折叠床租用服务，新病房楼规划中将设置陪护休息区。"}},
	{kind: "suggestion", cat: "logistics", subject: "建议增加夜间停车位并延长停车场开放时间",
		sites:   []string{"保卫科/门诊停车场"},
		stories: []string{"建议人夜间急诊就医时{site}已关闭，只能停在路边被贴罚单，建议夜间开放部分车位。"},
		demands: []string{"improvement"},
		reply:   []string{"感谢您的建议。保卫科已将急诊侧停车场调整为24小时开放，并在夜间安排专人值守。"}},
	{kind: "suggestion", ward: true, cat: "nursing", subject: "建议护士站加强夜间巡视",
		sites:   []string{"护理部/住院部各病区"},
		stories: []string{"患者出院时建议夜间护士多巡视几次病房，尤其是有输液的病人，家属晚上不敢睡。"},
		demands: []string{"improvement"},
		reply:   []string{"感谢您的建议。护理部已要求各病区夜间每小时巡视一次，输液患者每三十分钟巡视一次，并纳入护理质量考核。"}},
	{kind: "suggestion", cat: "process", subject: "建议开通检查报告手机查询",
		sites:   []string{"门诊部/门诊一楼报告打印处"},
		stories: []string{"建议人提出医院开通手机查询检查报告功能，避免患者为拿一张报告专门跑一趟医院。"},
		demands: []string{"improvement"},
		reply:   []string{"感谢您的建议。医院公众号已上线检验、检查报告查询功能，关注后绑定就诊卡即可查看。"}},

	// ---- 举报 (report)
	{kind: "report", ward: true, cat: "attitude", subject: "举报医生收受患者红包",
		sites: []string{"普外科/普外科一病区", "骨科/骨科二病区"}, staff: "医生",
		stories: []string{"举报人反映，{who}在{site}手术前，家属按“惯例”给主刀{staff}送了{amount}元红包，对方当场收下，术后未退还。"},
		demands: []string{"discipline"}, evid: []string{"recording"},
		reply:  []string{"监察室已对举报事项进行调查，当事医生承认收受红包并已全额退还，医院已按医德医风规定给予其通报批评、扣发年度考核奖金并记入医德档案。感谢您的监督。"},
		amount: [2]int{1000, 5000}},
	{kind: "report", ward: true, cat: "attitude", subject: "举报护工私下向患者收取额外费用",
		sites: []string{"护理部/住院部八楼骨科病区"}, staff: "护工",
		stories: []string{"举报人反映{site}有{staff}以“夜间加班”为由向病人家属私下收取现金，每晚{amount}元，不开收据。"},
		demands: []string{"discipline", "refund"}, evid: []string{"chat"},
		reply:  []string{"监察室会同护理部调查，举报事项属实，涉事护工已被陪护公司辞退，违规收取的费用已退还家属。医院已要求陪护公司公示收费标准并统一开具收据。"},
		amount: [2]int{50, 150}},
	{kind: "report", cat: "insurance", subject: "举报有人冒用他人医保卡开药",
		sites:   []string{"医保办/门诊二楼医保窗口"},
		stories: []string{"举报人反映有人长期持他人医保卡在本院开具降压药、降糖药，怀疑倒卖药品，举报人提供了部分时间和科室。"},
		demands: []string{"other"}, evid: []string{"document", "photo"},
		reply: []string{"医保办已核查相关就诊记录，对可疑医保卡实行实名就诊核验，并将线索报送市医疗保障局。医院将进一步落实就诊实名制。"}},
	{kind: "report", cat: "process", subject: "举报号贩子倒卖专家号",
		sites:   []string{"门诊部/门诊一楼挂号处"},
		stories: []string{"举报人反映早上在{site}看到有人反复排队挂专家号，再以{amount}元一个号的价格在门口转卖。"},
		demands: []string{"improvement"}, evid: []string{"photo", "video"},
		reply:  []string{"门诊部和保卫科已联合公安机关开展整治，专家号实行实名制挂号、就诊时核验身份证，并增加便衣巡查。感谢您的举报。"},
		amount: [2]int{100, 300}},
}

// channelLead opens the content with how the matter came in.
var channelLead = map[string][]string{
	"letter":     {"投诉人来信反映：", "收到投诉人来信，反映："},
	"phone":      {"投诉人来电反映：", "投诉人致电医患办投诉电话称："},
	"email":      {"投诉人发来电子邮件反映：", "医院邮箱收到投诉，投诉人称："},
	"web":        {"投诉人在医院网站留言：", "医院官网“院长信箱”留言，投诉人称："},
	"walk_in":    {"投诉人到医患关系办公室当面反映：", "投诉人到医患办现场投诉："},
	"followup":   {"出院回访时患者家属反映：", "电话回访中，投诉人反映："},
	"leadership": {"院长办公室转来投诉，投诉人反映：", "分管院领导批转来信，投诉人称："},
	"regulator":  {"太仓市卫生健康委员会转办（12345热线工单），投诉人反映：", "市卫健委医政科转来投诉，投诉人称："},
	"media":      {"《太仓日报》记者转来读者投诉，投诉人称：", "本地微信公众号刊发患者投诉文章，投诉人称："},
	"internal":   {"{dept}转来患者家属投诉，投诉人反映：", "临床科室转来投诉，投诉人称："},
}

// channelTag opens the content of consultations, suggestions and reports,
// whose stories introduce the person themselves.
var channelTag = map[string]string{
	"letter": "来信：", "phone": "来电：", "email": "来邮：", "web": "网站留言：", "walk_in": "来访：",
	"followup": "出院回访中：", "leadership": "院领导转来：", "regulator": "上级部门转来：", "internal": "科室转来：",
	"media": "媒体转来：",
}

// kindClose ends the replies to contacts that are not complaints.
var kindClose = map[string]string{
	"consultation": "祝您身体健康！",
	"suggestion":   "感谢您对我院工作的关心和支持。",
	"report":       "感谢您对我院行风建设的监督，我院将对举报人信息严格保密。",
}

// closing ends the content with the complainant's demand.
var closing = map[string][]string{
	"apology":      {"要求当事人赔礼道歉。", "希望当事人当面道歉。"},
	"refund":       {"要求退还相关费用。"},
	"compensation": {"要求医院给予相应赔偿。"},
	"replacement":  {"要求更换相关人员。"},
	"improvement":  {"希望医院尽快整改，不要让其他病人再遇到同样的问题。", "希望医院重视并改进。"},
	"explanation":  {"希望医院给出合理解释。", "要求医院说明情况。"},
	"discipline":   {"要求对相关人员严肃处理。", "希望医院严肃处理，给个说法。"},
	"other":        {"请医院核查处理。"},
}

var emotions = []string{"平稳", "平稳", "平稳", "情绪激动", "较为不满", "焦虑", "情绪激动，声称要向媒体反映"}

var evidenceNote = map[string]string{
	"receipt":   "收费票据",
	"photo":     "现场照片",
	"video":     "手机视频",
	"chat":      "聊天及支付记录截图",
	"recording": "通话录音",
	"document":  "病历及检查报告复印件",
	"other":     "其他材料",
}

var relatives = []string{"其父亲", "其母亲", "其爱人", "其儿子", "其女儿", "其奶奶", "其爷爷", "其岳母"}

var waits = []string{"四十多分钟", "一个多小时", "近两个小时", "两个多小时", "三个小时"}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "马", "胡",
	"郭", "林", "何", "高", "罗", "顾", "陆", "沈", "钱", "邵", "浦", "缪", "曹", "蒋", "陶", "姚", "龚"}

var givenNames = []string{"伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
	"明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "志强", "晓燕", "丽娟", "海燕", "玉兰", "国平",
	"雪梅", "红英", "卫东", "雅琴", "梓涵", "浩然", "一鸣", "欣怡", "振华", "美玲", "金宝", "永康", "佳怡", "文斌"}

var phonePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "157", "158", "159", "180", "181", "182", "186", "187", "188", "189"}

var addresses = []string{"太仓市城厢镇县府街", "太仓市沙溪镇", "太仓市浏河镇", "太仓市璜泾镇", "太仓市双凤镇",
	"太仓市科教新城", "太仓市港区", "昆山市千灯镇"}

// proposal framing: the department's draft reply to the complainant.
var proposalOpen = []string{
	"您好！您于{date}反映的“{subject}”一事，经{handling}调查核实，现答复如下：",
	"{name}：您好！关于您反映的“{subject}”，{handling}高度重视，立即进行了调查核实。",
}

var proposalClose = []string{"感谢您对我院工作的监督和支持。", "再次向您表示歉意，感谢您的理解。", "欢迎您继续对我院工作提出宝贵意见。"}

var replyContact = "如有疑问，请致电医患关系办公室（0512-53658506）。"

// Reasons and notes of the other steps.
var (
	rejectReasons = map[string][]string{
		"complaint": {"投诉人已就同一事项向人民法院提起诉讼，依规不予受理，已告知投诉人。",
			"投诉人反映的问题已由科室当场协调解决，投诉人表示无需再立案处理。",
			"经电话联系投诉人，无法提供就诊时间、科室及当事人等基本事实，已告知其补充材料后可再次投诉。",
			"该事项已于上月处理完毕并书面答复，投诉人未提出新的事实和理由。",
			"属医疗事故争议，已告知投诉人可通过医疗事故技术鉴定、人民调解或诉讼途径解决。"},
		"report": {"举报内容缺乏具体时间、人员等基本事实，无法核查，已告知举报人可补充线索后再次举报。",
			"该举报事项已由监察室另案调查处理，不重复立案。"},
		"consultation": {"属一般咨询事项，已当场解答，无需立案办理。"},
		"suggestion":   {"同一建议此前已被采纳并实施，已告知建议人。"},
	}
	forwardTo = map[string][][2]string{
		"medical":          {{"太仓市医疗纠纷人民调解委员会", "投诉人要求赔偿金额较大，属医疗纠纷，经投诉人同意转人民调解委员会调解。"}},
		"insurance":        {{"太仓市医疗保障局", "涉及医保政策及基金支付范围，超出医院处理权限，已告知投诉人并转送。"}},
		"charges":          {{"太仓市医疗保障局", "投诉人对医疗服务价格标准本身有异议，属价格主管部门职责，已转送并告知投诉人。"}},
		"logistics":        {{"太仓市城投停车管理有限公司", "院区停车场由第三方公司经营，已转该公司处理并告知投诉人。"}},
		"report/attitude":  {{"太仓市卫生健康委员会纪检监察组", "举报涉及医务人员违纪问题，按规定移送纪检监察机关处理。"}},
		"report/insurance": {{"太仓市医疗保障局", "举报涉嫌欺诈骗取医保基金，按规定移送医疗保障部门查处。"}},
		"report/process":   {{"太仓市公安局娄东派出所", "举报涉嫌倒卖号源、扰乱医疗秩序，已移交公安机关处理。"}},
		"consultation":     {{"太仓市12345政务服务热线", "咨询内容涉及社保政策，超出医院答复范围，已告知咨询人向社保部门咨询。"}},
		"":                 {{"太仓市卫生健康委员会", "投诉人明确要求由卫生行政部门调查处理，按规定转送并告知投诉人。"}, {"太仓市医疗纠纷人民调解委员会", "双方对赔偿事宜分歧较大，经投诉人同意转人民调解委员会调解。"}},
	}
	voidReasons = map[string][]string{
		"registered": {"重复登记：与同日另一登记为同一事项。", "登记信息录入错误，已重新登记。"},
		"accepted":   {"投诉人来电撤回投诉，表示已与科室当面沟通解决。"},
		"in_progress": {"投诉人申请撤回投诉，科室已当场协调解决。",
			"经核实为同一投诉人就同一事项的重复投诉，已并入先前案件处理。"},
	}
	sendBackReasons = []string{
		"答复意见对事实经过描述不清，请补充当事人陈述后重新报送。",
		"未写明具体整改措施，请补充后重新报送。",
		"处理意见与调查结论不一致，请重新核实。",
		"答复措辞不够恰当，请修改后重新报送。",
	}
	sendBackApprovedReasons = []string{"答复口径需与投诉人诉求逐项对应，请科室补充完善后重新报送。", "答复中整改措施的完成时限不明确，请补充。"}
	// What a dissatisfied complainant says and what the department then
	// does, by their main demand.
	dissatisfied = map[string][2]string{
		"apology":      {"投诉人对处理结果不满意，认为当事人未当面道歉，要求科室再次处理。", "当事人已于近日当面向您致歉，科室负责人亦到场沟通。"},
		"discipline":   {"投诉人认为对当事人的处理过轻，要求医院严肃处理。", "医院服务态度投诉管理小组已对当事人的处理意见进行复核，处理结果将记入医德档案。"},
		"refund":       {"投诉人表示退费尚未到账，对处理结果不满意。", "财务科已核实退款流程，相关费用已全部退还到原支付账户。"},
		"compensation": {"投诉人对赔偿方案不满意，要求医院重新研究。", "医院已安排专人与您面谈，就赔偿事宜进一步协商，如协商不成可申请医疗纠纷人民调解。"},
		"":             {"投诉人表示问题仍未解决，要求科室再次处理。", "科室已制定书面整改方案，并将在一个月后由医患办复查落实情况。"},
	}
	secondProposal = []string{
		"针对您回访时提出的意见，科室再次进行了核实：",
		"根据您回访时的反馈，{handling}再次调查后补充答复如下：",
	}
	reopenProposal = "针对您再次反映的问题，{handling}重新进行了核查："
	satisfiedNotes = map[string][]string{
		"satisfied":           {"投诉人对处理结果表示满意，感谢医院及时处理。", "回访时患者表示满意。", ""},
		"basically_satisfied": {"投诉人对处理结果基本满意，希望医院今后加强管理。", "患者家属表示基本满意，但认为处理时间偏长。"},
	}
	unreachable = map[bool]string{
		true:  "匿名投诉，无联系方式，无法回访，经医患办审核后办结。",
		false: "投诉人拒绝提供联系方式，无法回访，经医患办审核后办结。",
	}
	reopenReasons = []string{"投诉人再次来电反映问题未彻底解决，要求重新办理。", "院领导批示需进一步核查，重新办理。"}
	approveNotes  = []string{"", "同意", "同意，按拟办意见答复。", "同意，请医患办做好答复解释。"}
	urgentNotes   = "（先处理后登记：接诉后医患办已第一时间到场协调处置。）"
)

// levelSanction is the consequence the rules attach to a confirmed
// attitude complaint of each level (第二十条).
var levelSanction = map[string]string{
	"1": "经医院服务态度投诉管理小组认定为一级投诉，直接责任人待岗3个月，扣发科室负责人当月奖金10%。",
	"2": "经认定为二级投诉，直接责任人待岗1个月，扣发科室负责人当月奖金5%。",
	"3": "经认定为三级投诉，扣发直接责任人当月奖金并在院内通报。",
}
