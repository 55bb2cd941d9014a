"""What the interview says: a plain question and its help for every profile fact, in English
and Chinese, and plain names for the choices.

Keys are profile paths without list indices; ``*`` stands for a country key (recognition by
Germany, say), and ``institution.`` covers both a degree's institution and a job's employer
when it is a university or institute. The Chinese texts are our own wording.
"""

from __future__ import annotations

from typing import Final

# label_en, label_zh, help_en, help_zh. ``{country}`` is the country a fact is about.
QUESTIONS: Final[dict[str, tuple[str, str, str, str]]] = {
    "birth_date": (
        "When were you born?",
        "你的出生日期是？",
        "As in your passport. Age limits are checked on the date of the assessment.",
        "以护照为准。年龄限制按评估日期计算。",
    ),
    "age": (
        "How old are you?",
        "你多大年龄？",
        "In whole years, if you prefer not to give your date of birth.",
        "以整岁计，如你不愿提供出生日期。",
    ),
    "citizenships": (
        "Which nationalities do you hold?",
        "你持有哪些国籍？",
        "Type the country's name and pick it from the list; add every nationality you hold.",
        "输入国家名称并从列表中选择；如有多个国籍，请逐一添加。",
    ),
    "residence": (
        "Which country do you live in?",
        "你居住在哪个国家？",
        "The country where you live now.",
        "你目前居住的国家。",
    ),
    "location": (
        "Where will you be when you apply?",
        "申请时你将身在哪个国家？",
        "Some programmes, and the US$100,000 H-1B payment, depend on whether you apply from "
        "inside the country or from abroad.",
        "部分项目以及H-1B的10万美元款项取决于你是在该国境内还是境外申请。",
    ),
    "us_status": (
        "What is your current US immigration status?",
        "你目前的美国移民身份是什么？",
        "Only if you are in the United States. Choose 'out of status' if you have not kept a "
        "lawful status. It decides whether the US$100,000 H-1B payment is due.",
        "仅在你身处美国时填写。未保持合法身份者请选择“身份失效”。它决定是否须缴纳H-1B的10万美元款项。",
    ),
    "education.level": (
        "What kind of degree or qualification is it?",
        "这是什么学历或资格？",
        "Pick the level closest to it: bachelor's, master's, doctorate and so on.",
        "选择最接近的层次：学士、硕士、博士等。",
    ),
    "education.field": (
        "What did you study?",
        "你学的是什么专业？",
        "Type the subject in your own words, e.g. 'computer science', and pick the closest "
        "name from the list.",
        "用你自己的话输入专业，例如“计算机科学”，并从列表中选择最接近的名称。",
    ),
    "education.completed": (
        "When was it awarded?",
        "何时获得该学历？",
        "The date on your certificate; an approximate date is fine.",
        "以证书日期为准；大致日期亦可。",
    ),
    "education.duration_years": (
        "How many years did the programme last?",
        "该学制为几年？",
        "The standard length of the programme, e.g. 4 for a four-year bachelor's.",
        "该课程的标准学制，例如四年制学士填4。",
    ),
    "education.state_recognised": (
        "Is it officially recognised in the country that awarded it?",
        "该学历是否获颁发国官方认可？",
        "For example, awarded by a university that the country's education ministry recognises.",
        "例如，由该国教育部认可的大学颁发。",
    ),
    "education.recognition.*": (
        "Has {country} recognised it?",
        "{country}是否已认可该学历？",
        "Whether that country's authority has assessed your qualification: fully (equivalent), "
        "partly (adjustment measures needed), not recognised, or still pending. In Germany this "
        "is the anabin/ZAB check or a recognition notice; in New Zealand an NZQA assessment.",
        "该国主管机构是否已评估你的学历：完全认可（等同）、部分认可（需补充措施）、未认可或评估中。"
        "德国为anabin/ZAB核查或认可决定；新西兰为NZQA学历评估。",
    ),
    "education.shortage_occupation.*": (
        "Does it train you for an occupation on {country}'s shortage list?",
        "该学历对应的职业是否列入{country}的紧缺职业清单？",
        "Germany publishes its shortage occupations through the Federal Employment Agency.",
        "德国的紧缺职业由联邦就业局公布。",
    ),
    "education.nzqf_level": (
        "What New Zealand qualifications framework level is it (1 to 10)?",
        "该学历的新西兰资格框架等级是多少（1至10）？",
        "Listed for a New Zealand qualification, or given by NZQA's assessment of a foreign "
        "one; an honours bachelor's is level 8.",
        "新西兰学历可查询其列明等级，境外学历以NZQA评估结果为准；荣誉学士为第8级。",
    ),
    "institution.name": (
        "Which university or institution?",
        "哪所大学或机构？",
        "Type its name and pick it from the list. If it is not listed, tick 'not listed' and "
        "keep the name you typed.",
        "输入名称并从列表中选择。如未列出，请勾选“未列出”，保留你输入的名称。",
    ),
    "institution.id": (
        "Which university or institution is it?",
        "是哪所大学或机构？",
        "Type its name and pick it from the list; we read its rankings from our register. If "
        "it is not listed, tick 'not listed' and keep the name you typed.",
        "输入名称并从列表中选择；我们从名录中读取其排名。如未列出，请勾选“未列出”，保留你输入的名称。",
    ),
    "institution.country": (
        "In which country is it?",
        "它位于哪个国家？",
        "Type the country's name and pick it from the list.",
        "输入国家名称并从列表中选择。",
    ),
    "institution.ranked": (
        "Is it listed in a world university ranking?",
        "它是否列入世界大学排名？",
        "Your institution is not in our register, so we ask: does it appear in the QS, THE or "
        "ARWU world ranking?",
        "你的院校不在我们的名录中，因此需要询问：它是否列入QS、THE或ARWU世界排名？",
    ),
    "institution.world_rank": (
        "Its best position in a world university ranking",
        "它在世界大学排名中的最好名次",
        "Only because your institution is not in our register: its position in the QS, THE "
        "or ARWU world ranking, e.g. 150. Leave it blank if it is not ranked.",
        "仅因你的院校不在我们的名录中而询问：它在QS、THE或ARWU世界排名中的名次，例如150。如未上榜请留空。",
    ),
    "institution.ranking": (
        "Which ranking is that position from?",
        "该名次来自哪个排名？",
        "QS World University Rankings, Times Higher Education (THE) or the Academic Ranking "
        "of World Universities (ARWU).",
        "QS世界大学排名、泰晤士高等教育（THE）排名或软科世界大学学术排名（ARWU）。",
    ),
    "institution.ranking_year": (
        "Which year's edition of the ranking?",
        "该排名是哪一年的版本？",
        "The year printed on the ranking, e.g. 2026.",
        "排名上标注的年份，例如2026。",
    ),
    "institution.research_institution": (
        "Is it a research institute rather than a university?",
        "它是科研机构而不是大学吗？",
        "For example a national laboratory or an academy of sciences institute.",
        "例如国家实验室或科学院下属研究所。",
    ),
    "institution.named_list": (
        "Is it on the destination's named list of universities or companies?",
        "它是否列入目的地国指定的大学或企业名单？",
        "Some programmes (Korea's Top-Tier visa) read a list of universities and companies by "
        "name. Choose 'not said' if you do not know.",
        "部分项目（韩国顶尖人才签证）按名称认定大学和企业名单。如不清楚请选择“未说明”。",
    ),
    "institution.jp_jfind_list": (
        "Is it on Japan's J-Find list of universities?",
        "它是否列入日本J-Find（未来创造人才）大学名单？",
        "The Immigration Services Agency's list of universities in the top 100 of at least two "
        "of QS, THE and ARWU. Our register holds only part of it, so we ask.",
        "出入国在留管理厅公布的、在QS、THE、ARWU中至少两项排名前100的大学名单。本工具的名录只持有其中一部分，因此需要询问。",
    ),
    "institution.jp_hsp_list": (
        "Is it a university specified for Japan's Highly Skilled Professional bonus?",
        "它是否为日本高度人才积分加分的指定大学？",
        "Top 300 in two of QS, THE and ARWU, a Japanese university in any one of them, or a "
        "Top Global University grantee: 10 bonus points. Our register holds only part of the "
        "list, so we ask.",
        "在QS、THE、ARWU中两项排名前300、列入任一排名的日本大学，或获超级全球大学资助的大学：加10分。本工具的名录只持有该名单的一部分，因此需要询问。",
    ),
    "work.kind": (
        "What kind of work is it?",
        "这是什么类型的工作？",
        "Employment, teaching, research, a postdoctoral position or self-employment.",
        "受雇工作、教学、科研、博士后或自雇。",
    ),
    "work.occupation": (
        "What is your job?",
        "你的职业是什么？",
        "Type your job title in your own words, e.g. 'software developer', and pick the "
        "closest occupation from the list.",
        "用你自己的话输入职位名称，例如“软件开发”，并从列表中选择最接近的职业。",
    ),
    "work.field": (
        "In what field is the work?",
        "这份工作属于哪个领域？",
        "The subject the work is in, e.g. 'computer science' or 'physics'.",
        "工作所属的学科，例如“计算机科学”或“物理”。",
    ),
    "work.country": (
        "In which country is or was the job?",
        "这份工作在哪个国家？",
        "Type the country's name and pick it from the list.",
        "输入国家名称并从列表中选择。",
    ),
    "work.start": (
        "When did it start?",
        "何时开始？",
        "An approximate date is fine.",
        "大致日期亦可。",
    ),
    "work.end": (
        "When did it end?",
        "何时结束？",
        "Leave it blank if you still do this work.",
        "如仍在从事这份工作，请留空。",
    ),
    "work.ongoing": (
        "Do you still do this work?",
        "你目前仍在从事这份工作吗？",
        "Yes if it is your current job.",
        "如果这是你目前的工作，选“是”。",
    ),
    "work.hours_per_week": (
        "How many hours a week?",
        "每周工作多少小时？",
        "Your contracted hours; full-time is usually 35 to 40.",
        "合同约定的工时；全职通常为35至40小时。",
    ),
    "work.skilled.*": (
        "Does it count as skilled work in {country}?",
        "它在{country}是否算作技术工作？",
        "For New Zealand: full-time (30 or more guaranteed hours a week) and paid at least the "
        "median wage then in effect (1.5 times it at ANZSCO skill level 4 or 5).",
        "新西兰：全职（每周保证工时30小时以上），且薪资当时不低于中位数工资（ANZSCO技能等级4-5为其1.5倍）。",
    ),
    "work.employer.name": (
        "Who is or was the employer?",
        "雇主是谁？",
        "The organisation's name; for teaching or research, the university or institute.",
        "机构名称；教学或科研工作请填大学或研究所。",
    ),
    "has_job_offer": (
        "Do you have a job offer?",
        "你是否有工作邀约？",
        "A written offer from an employer in the country you want to go to.",
        "目的地国家雇主的书面工作邀约。",
    ),
    "job_offer.country": (
        "In which country is the job?",
        "这份工作在哪个国家？",
        "Type the country's name and pick it from the list.",
        "输入国家名称并从列表中选择。",
    ),
    "job_offer.occupation": (
        "What is the job?",
        "这是什么职位？",
        "Type the job title in your own words, e.g. 'software developer', and pick the closest "
        "occupation from the list.",
        "用你自己的话输入职位名称，例如“软件开发”，并从列表中选择最接近的职业。",
    ),
    "job_offer.us_soc": (
        "The job's US occupation (SOC) as your employer states it",
        "雇主申报的美国职业分类（SOC）",
        "Only if your employer has told you; it appears on the Labor Condition Application.",
        "仅在雇主已告知时填写；见于劳工条件申请（LCA）。",
    ),
    "job_offer.salary.amount": (
        "What salary are you offered?",
        "工作邀约的薪资是多少？",
        "Before tax, as in the offer.",
        "税前金额，以邀约为准。",
    ),
    "job_offer.salary.currency": (
        "In which currency?",
        "以什么货币计？",
        "Type the currency's name, e.g. 'US dollar', and pick it from the list.",
        "输入货币名称，例如“美元”，并从列表中选择。",
    ),
    "job_offer.salary.period": (
        "Per year, month, week or hour?",
        "按年、月、周还是小时计？",
        "The period the salary is stated for.",
        "薪资对应的计算周期。",
    ),
    "job_offer.hours_per_week": (
        "How many hours a week?",
        "每周工作多少小时？",
        "The hours in the contract.",
        "合同约定的工时。",
    ),
    "job_offer.duration_months": (
        "How long is the contract, in months?",
        "合同期限为几个月？",
        "Leave it blank for an open-ended contract you cannot state in months.",
        "无固定期限且无法按月计算的合同请留空。",
    ),
    "job_offer.start": (
        "When does the job start?",
        "工作何时开始？",
        "The start date in the offer; an approximate date is fine.",
        "邀约中的入职日期；大致日期亦可。",
    ),
    "job_offer.us_wage_level": (
        "Which US wage level does the offered wage reach?",
        "所提供的薪资达到美国哪一级工资水平？",
        "The US Department of Labor sets four wage levels for each occupation and area, from "
        "level I (entry) to level IV (fully competent). Your employer states the level of your "
        "offered wage when registering you. In the H-1B lottery a registration is entered once "
        "per level (level II: twice), so the level decides your chance of selection.",
        "美国劳工部按职业和地区设定四级工资水平，从第一级（入门）到第四级（完全胜任）。雇主为你登记时会"
        "填写所提供薪资的级别。H-1B抽签中，每份登记按级别获得相应次数的抽签机会（第二级两次），因此级别"
        "决定你的中签机会。",
    ),
    "job_offer.us_petition": (
        "What will the employer's H-1B petition ask for?",
        "雇主的H-1B申请将请求什么？",
        "If you are in the US: a change of status, an extension or an amendment; otherwise "
        "notification of a consulate or port of entry, or pre-flight inspection. It decides "
        "whether the US$100,000 payment is due. Your employer or their lawyer knows.",
        "若你在美国：身份变更、延期或修改；否则为通知领事馆或入境口岸，或预检。它决定是否须缴纳10万美元"
        "款项。你的雇主或其律师会知道。",
    ),
    "job_offer.skill_level": (
        "What is the job's ANZSCO skill level in New Zealand (1 to 5)?",
        "该职位在新西兰ANZSCO职业分类中的技能等级是多少（1至5）？",
        "Level 1 is the highest. Immigration New Zealand and the ANZSCO classification list it "
        "for each occupation.",
        "第1级最高。新西兰移民局和ANZSCO职业分类列明了各职业的等级。",
    ),
    "job_offer.shortage_occupation": (
        "Is the job on the country's shortage-occupation list?",
        "该职位是否列入该国紧缺职业清单？",
        "The official list of occupations the country is short of.",
        "该国官方公布的紧缺职业清单。",
    ),
    "job_offer.industry": (
        "In which industry is the employer?",
        "雇主属于哪个行业？",
        "Korea's Top-Tier visa names high-tech industries; choose 'another industry' if yours "
        "is not one of them.",
        "韩国顶尖人才签证列明了若干高科技行业；如不在其中，请选择“其他行业”。",
    ),
    "job_offer.employer.name": (
        "Who is the employer?",
        "雇主是谁？",
        "The employer's name as in the offer.",
        "以邀约上的雇主名称为准。",
    ),
    "job_offer.employer.headcount": (
        "How many full-time staff does the employer have?",
        "雇主有多少名全职员工？",
        "Full-time equivalent, across the whole company. Some US fees are lower for employers "
        "with 25 or fewer.",
        "按全公司全职等效人数计。部分美国费用对25人及以下的雇主较低。",
    ),
    "job_offer.employer.nonprofit": (
        "Is the employer a non-profit organisation?",
        "雇主是非营利机构吗？",
        "Some fees are waived or lower for non-profit employers.",
        "部分费用对非营利雇主减免。",
    ),
    "job_offer.employer.accredited": (
        "Is the employer accredited by Immigration New Zealand?",
        "雇主是否获得新西兰移民局认证？",
        "Only for a job in New Zealand; the employer knows.",
        "仅适用于新西兰的工作；雇主会知道。",
    ),
    "job_offer.employer.cap_exempt": (
        "Is the employer exempt from the H-1B cap?",
        "雇主是否免受H-1B配额限制？",
        "Universities, their affiliated non-profits, and non-profit or government research "
        "organisations are exempt: they need no lottery. Most companies are not.",
        "高校、其附属非营利机构以及非营利或政府科研机构免配额，无需抽签。大多数企业不免配额。",
    ),
    "job_offer.employer.h1b_l_share_over_half": (
        "Are more than half of the employer's US staff on H-1B or L visas?",
        "雇主在美国的员工中，持H-1B或L签证者是否超过一半？",
        "Employers with 50 or more US staff of whom more than half hold H-1B or L status pay "
        "an extra fee. The employer knows.",
        "美国员工50人以上且其中一半以上持H-1B或L身份的雇主须缴纳额外费用。雇主会知道。",
    ),
    # United Kingdom (Skilled Worker): the sponsor and the sponsored job
    "job_offer.employer.uk_licensed_sponsor": (
        "Does the employer hold a UK Home Office sponsor licence?",
        "雇主是否持有英国内政部的担保牌照？",
        "Only a licensed sponsor can offer a Skilled Worker job and assign the Certificate of "
        "Sponsorship. Licensed sponsors are on the Home Office's public register; the employer "
        "knows.",
        "只有持牌担保方才能提供技术工人签证职位并签发担保证书。持牌担保方列于英国内政部公开名册；雇主会知道。",
    ),
    "job_offer.employer.uk_small_or_charitable": (
        "Is the employer a small or charitable sponsor for the UK Immigration Skills Charge?",
        "就英国移民技能费而言，雇主是否属于小型或慈善担保方？",
        "Small or charitable sponsors pay the lower yearly rate; medium and large ones the "
        "higher. The employer knows which it pays.",
        "小型或慈善担保方按较低的年费率缴纳，中型和大型担保方按较高费率缴纳。雇主会知道适用哪一档。",
    ),
    "job_offer.uk_rqf_level": (
        "What RQF skill level is the job's occupation in the UK (1 to 8)?",
        "该职位所属职业在英国的RQF技能等级是多少（1至8）？",
        "The level of the job, not of your degree: the Home Office's list of skilled "
        "occupations gives it for each occupation, and your sponsor knows it. Level 6 is degree "
        "level.",
        "指职位的等级，而非你的学位：英国内政部的技术职业清单列明了各职业的等级，担保方会知道。第6级相当于学位水平。",
    ),
    "job_offer.uk_going_rate.amount": (
        "What is the going rate for the job's occupation in the UK?",
        "该职位所属职业在英国的行业标准薪资（going rate）是多少？",
        "The minimum pay the Home Office sets for the occupation code of your job; your sponsor "
        "states it when assigning the certificate. Give it per year.",
        "英国内政部为你职位的职业代码设定的最低薪资；担保方在签发证书时会注明。请按年填写。",
    ),
    "job_offer.uk_going_rate.currency": (
        "In which currency is the going rate?",
        "行业标准薪资以什么货币计？",
        "Usually pounds sterling; type the currency's name and pick it from the list.",
        "通常为英镑；输入货币名称并从列表中选择。",
    ),
    "job_offer.uk_going_rate.period": (
        "Is the going rate per year or per hour?",
        "行业标准薪资按年还是按小时计？",
        "The period the going rate is stated for, usually per year.",
        "行业标准薪资对应的计算周期，通常按年。",
    ),
    "job_offer.uk_temporary_shortage_list": (
        "Is the job's occupation on the UK Temporary Shortage List?",
        "该职位所属职业是否列入英国临时紧缺清单？",
        "An interim list of jobs below degree level that can still be sponsored until the end "
        "of 2026; your sponsor knows.",
        "一份过渡性清单，列明低于学位水平但在2026年底前仍可获担保的职位；担保方会知道。",
    ),
    "job_offer.uk_isc_exempt": (
        "Is your sponsorship exempt from the UK Immigration Skills Charge?",
        "你的担保是否免缴英国移民技能费？",
        "For example a switch inside the UK from a Student visa, a graduate training "
        "programme, or a PhD-level or listed research occupation. The sponsor knows.",
        "例如在英国境内由学生签证转换、毕业生培训项目，或博士层次或列明的研究职业。担保方会知道。",
    ),
    "languages.language": (
        "Which language?",
        "哪种语言？",
        "The language the result is for.",
        "该成绩对应的语言。",
    ),
    "languages.test": (
        "Which test did you take?",
        "你参加了哪项考试？",
        "IELTS, TOEFL, Goethe, TestDaF, HSK, TOPIK and so on; 'another test' if it is not listed.",
        "雅思、托福、歌德、德福、汉语水平考试、韩国语能力考试等；如未列出请选择“其他考试”。",
    ),
    "languages.score": (
        "What was your score?",
        "你的成绩是多少？",
        "The overall score, e.g. 7.5 for IELTS. We convert it to a CEFR level with the "
        "published tables.",
        "总分，例如雅思7.5。我们按公布的对照表换算为欧框等级。",
    ),
    "languages.cefr": (
        "Which CEFR level (A1 to C2)?",
        "欧洲语言共同参考框架（CEFR）等级是多少（A1至C2）？",
        "As certified, if you know it; otherwise leave it blank and give the test and score.",
        "如已获认证请填写；否则留空并填写考试和分数。",
    ),
    "languages.native": (
        "Is it your native language?",
        "这是你的母语吗？",
        "Yes if you grew up speaking it.",
        "如果你从小说这种语言，选“是”。",
    ),
    "languages.taken": (
        "When did you take the test?",
        "你何时参加考试？",
        "Some programmes accept only recent results.",
        "部分项目只接受近期成绩。",
    ),
    "languages.cefr_basis": (
        "Where does the level come from?",
        "该等级的依据是什么？",
        "Filled in for you from the test and score.",
        "根据考试和分数自动填写。",
    ),
    "funds.amount": (
        "How much money can you show for your stay?",
        "你能为居留出示多少资金？",
        "Savings or a blocked account you can prove, before tax.",
        "可证明的存款或冻结账户金额。",
    ),
    "funds.currency": (
        "In which currency?",
        "以什么货币计？",
        "Type the currency's name, e.g. 'euro', and pick it from the list.",
        "输入货币名称，例如“欧元”，并从列表中选择。",
    ),
    "funds.period": (
        "Is it a monthly amount?",
        "这是按月计算的金额吗？",
        "Leave it blank for a single sum; choose 'per month' for regular income such as a "
        "scholarship.",
        "一次性金额请留空；如为奖学金等定期收入请选择“每月”。",
    ),
    "family.relation": (
        "Who is it?",
        "这位家庭成员与你是什么关系？",
        "Your spouse, partner, child or parent.",
        "配偶、伴侣、子女或父母。",
    ),
    "family.birth_date": (
        "When were they born?",
        "他/她的出生日期是？",
        "For a child, age limits apply to family visas.",
        "家属签证对子女有年龄限制。",
    ),
    "family.accompanying": (
        "Will they come with you?",
        "他/她会随你同行吗？",
        "Yes if they will move with you.",
        "如会随你迁居，选“是”。",
    ),
    "family.applying_jointly": (
        "Are they applying together with you and meeting the same conditions?",
        "他/她是否与你共同申请并满足相同条件？",
        "Some programmes let a couple apply together.",
        "部分项目允许夫妻共同申请。",
    ),
    # --- Canada (Express Entry): per-ability language results, TEER, family facts ---
    "languages.listening": (
        "What was your listening score?",
        "你的听力成绩是多少？",
        "Your listening result on a test scored per ability (IELTS General Training, CELPIP-General, TCF Canada). We convert it to a Canadian Language Benchmark with the tables of Immigration, Refugees and Citizenship Canada.",
        "分项计分考试（雅思培训类、CELPIP-General、TCF Canada）的听力成绩。我们按加拿大移民部的对照表换算为加拿大语言基准（CLB）等级。",
    ),
    "languages.clb_listening": (
        "Which Canadian Language Benchmark in listening?",
        "听力的加拿大语言基准（CLB/NCLC）等级是多少？",
        "CLB (NCLC for French) from 0 to 12: filled in from your listening score, or give it if you know it.",
        "CLB（法语为NCLC）0至12级：根据你的听力成绩自动填写，如已知也可直接填写。",
    ),
    "family.clb_listening": (
        "Their Canadian Language Benchmark in listening?",
        "他/她听力的加拿大语言基准（CLB/NCLC）等级是多少？",
        "For a spouse or partner coming to Canada: CLB (NCLC for French) from 0 to 12, from an approved test.",
        "随行至加拿大的配偶或伴侣：认可考试所得CLB（法语为NCLC）0至12级。",
    ),
    "languages.reading": (
        "What was your reading score?",
        "你的阅读成绩是多少？",
        "Your reading result on a test scored per ability (IELTS General Training, CELPIP-General, TCF Canada). We convert it to a Canadian Language Benchmark with the tables of Immigration, Refugees and Citizenship Canada.",
        "分项计分考试（雅思培训类、CELPIP-General、TCF Canada）的阅读成绩。我们按加拿大移民部的对照表换算为加拿大语言基准（CLB）等级。",
    ),
    "languages.clb_reading": (
        "Which Canadian Language Benchmark in reading?",
        "阅读的加拿大语言基准（CLB/NCLC）等级是多少？",
        "CLB (NCLC for French) from 0 to 12: filled in from your reading score, or give it if you know it.",
        "CLB（法语为NCLC）0至12级：根据你的阅读成绩自动填写，如已知也可直接填写。",
    ),
    "family.clb_reading": (
        "Their Canadian Language Benchmark in reading?",
        "他/她阅读的加拿大语言基准（CLB/NCLC）等级是多少？",
        "For a spouse or partner coming to Canada: CLB (NCLC for French) from 0 to 12, from an approved test.",
        "随行至加拿大的配偶或伴侣：认可考试所得CLB（法语为NCLC）0至12级。",
    ),
    "languages.writing": (
        "What was your writing score?",
        "你的写作成绩是多少？",
        "Your writing result on a test scored per ability (IELTS General Training, CELPIP-General, TCF Canada). We convert it to a Canadian Language Benchmark with the tables of Immigration, Refugees and Citizenship Canada.",
        "分项计分考试（雅思培训类、CELPIP-General、TCF Canada）的写作成绩。我们按加拿大移民部的对照表换算为加拿大语言基准（CLB）等级。",
    ),
    "languages.clb_writing": (
        "Which Canadian Language Benchmark in writing?",
        "写作的加拿大语言基准（CLB/NCLC）等级是多少？",
        "CLB (NCLC for French) from 0 to 12: filled in from your writing score, or give it if you know it.",
        "CLB（法语为NCLC）0至12级：根据你的写作成绩自动填写，如已知也可直接填写。",
    ),
    "family.clb_writing": (
        "Their Canadian Language Benchmark in writing?",
        "他/她写作的加拿大语言基准（CLB/NCLC）等级是多少？",
        "For a spouse or partner coming to Canada: CLB (NCLC for French) from 0 to 12, from an approved test.",
        "随行至加拿大的配偶或伴侣：认可考试所得CLB（法语为NCLC）0至12级。",
    ),
    "languages.speaking": (
        "What was your speaking score?",
        "你的口语成绩是多少？",
        "Your speaking result on a test scored per ability (IELTS General Training, CELPIP-General, TCF Canada). We convert it to a Canadian Language Benchmark with the tables of Immigration, Refugees and Citizenship Canada.",
        "分项计分考试（雅思培训类、CELPIP-General、TCF Canada）的口语成绩。我们按加拿大移民部的对照表换算为加拿大语言基准（CLB）等级。",
    ),
    "languages.clb_speaking": (
        "Which Canadian Language Benchmark in speaking?",
        "口语的加拿大语言基准（CLB/NCLC）等级是多少？",
        "CLB (NCLC for French) from 0 to 12: filled in from your speaking score, or give it if you know it.",
        "CLB（法语为NCLC）0至12级：根据你的口语成绩自动填写，如已知也可直接填写。",
    ),
    "family.clb_speaking": (
        "Their Canadian Language Benchmark in speaking?",
        "他/她口语的加拿大语言基准（CLB/NCLC）等级是多少？",
        "For a spouse or partner coming to Canada: CLB (NCLC for French) from 0 to 12, from an approved test.",
        "随行至加拿大的配偶或伴侣：认可考试所得CLB（法语为NCLC）0至12级。",
    ),
    "work.ca_teer": (
        "Which Canadian TEER category is the job?",
        "该工作属于加拿大哪个TEER类别？",
        "Canada's NOC 2021 TEER category, 0 to 5; 0 to 3 is skilled work for Express Entry.",
        "加拿大国家职业分类（NOC 2021）的TEER类别，0至5；0至3为快速通道所认可的技术工作。",
    ),
    "work.ca_skilled_trade": (
        "Is it a skilled trade under Canada's Federal Skilled Trades Program?",
        "该工作是否属于加拿大联邦技工项目认可的技术工种？",
        "The occupations of the FSTP's trade groups (e.g. industrial, electrical and construction trades).",
        "联邦技工项目所列技工类别中的职业（例如工业、电气和建筑工种）。",
    ),
    "family.canadian_or_pr": (
        "Are they a Canadian citizen or permanent resident?",
        "他/她是否为加拿大公民或永久居民？",
        "Canada's Express Entry scores you as single if your spouse is one, and gives points for a brother or sister who is.",
        "若配偶为加拿大公民或永久居民，加拿大快速通道按单身计分；兄弟姐妹为加拿大公民或永久居民可获加分。",
    ),
    "family.education_level": (
        "What is their highest completed education?",
        "他/她已完成的最高学历是什么？",
        "For a spouse or partner coming to Canada; a foreign credential needs an Educational Credential Assessment.",
        "随行至加拿大的配偶或伴侣；境外学历需经学历认证评估（ECA）。",
    ),
    "family.ca_work_years": (
        "How many years of skilled work have they done in Canada?",
        "他/她在加拿大从事技术工作多少年？",
        "Whole years of full-time skilled work (TEER 0 to 3) in Canada in the last 10 years.",
        "过去10年内在加拿大全职从事技术工作（TEER 0至3）的整年数。",
    ),
    "stays.country": (
        "In which country did you stay?",
        "你曾在哪个国家居留？",
        "A stay of several months abroad, for study, work or family.",
        "在境外居留数月，如学习、工作或探亲。",
    ),
    "stays.start": (
        "When did the stay start?",
        "居留何时开始？",
        "An approximate date is fine.",
        "大致日期亦可。",
    ),
    "stays.end": (
        "When did it end?",
        "何时结束？",
        "Leave it blank if you are still there.",
        "如仍在当地请留空。",
    ),
    "stays.purpose": (
        "What was the stay for?",
        "居留目的是什么？",
        "Study, work, looking for work, family, tourism or something else.",
        "学习、工作、求职、家庭、旅游或其他。",
    ),
    "stays.lawful": (
        "Was the stay lawful?",
        "该居留是否合法？",
        "Yes if you held the right visa or permit throughout.",
        "如全程持有相应签证或许可，选“是”。",
    ),
    "visas.country": (
        "Which country issued the visa?",
        "哪个国家签发的签证？",
        "Type the country's name and pick it from the list.",
        "输入国家名称并从列表中选择。",
    ),
    "visas.category": (
        "What type of visa is it?",
        "这是什么类型的签证？",
        "As printed on the visa, e.g. H-1B.",
        "以签证上的标注为准，例如H-1B。",
    ),
    "visas.valid_from": (
        "Valid from",
        "有效期起始日",
        "The first day the visa is valid.",
        "签证生效的第一天。",
    ),
    "visas.valid_until": (
        "Valid until",
        "有效期截止日",
        "The last day the visa is valid.",
        "签证有效的最后一天。",
    ),
    "registrations.country": (
        "In which country are you registered?",
        "你在哪个国家注册？",
        "A registration or licence to practise an occupation.",
        "执业注册或执照。",
    ),
    "registrations.occupation": (
        "For which occupation?",
        "注册的职业是什么？",
        "The occupation as the registration names it.",
        "以注册上的职业名称为准。",
    ),
    "registrations.body": (
        "Which body registered you?",
        "哪个机构为你注册？",
        "For example the Medical Council of New Zealand.",
        "例如新西兰医学委员会。",
    ),
    "registrations.status": (
        "What is the status of the registration?",
        "注册状态如何？",
        "Full, provisional, or applied for and pending.",
        "正式、临时，或已申请待批。",
    ),
    "registrations.training_years": (
        "How many years of training does the registration require?",
        "该注册要求多少年培训？",
        "As Immigration New Zealand's list of registrations eligible for points gives it.",
        "以新西兰移民局可计分职业注册清单为准。",
    ),
    "us_degree_equivalence.level": (
        "Which US degree was your education found equivalent to?",
        "你的学历经评估相当于哪一级美国学位？",
        "Only if you have no bachelor's degree but an evaluation found your education, "
        "training or experience equivalent to one.",
        "仅当你没有学士学位，但经评估你的教育、培训或经验相当于学士学位时填写。",
    ),
    "us_degree_equivalence.basis": (
        "Who made that evaluation?",
        "评估由谁作出？",
        "A college official, equivalency exams, a credential evaluation service, a "
        "professional body, or USCIS.",
        "大学官员、同等学力考试、学历评估机构、专业协会或美国移民局。",
    ),
    "us_degree_equivalence.field": (
        "In which field?",
        "属于哪个领域？",
        "Type the subject in your own words and pick the closest name from the list.",
        "用你自己的话输入专业，并从列表中选择最接近的名称。",
    ),
    # United Kingdom (uk-hpi, uk-global-talent)
    "institution.uk_hpi_list": (
        "Is it on the UK's HPI Global Universities List for the year of your degree?",
        "它是否列入你取得学位那一年的英国HPI全球大学名单？",
        "The Home Office publishes a list each November; list N covers degrees awarded from 1 "
        "November N to 31 October N+1. Our register holds only part of each list, so we ask.",
        "英国内政部每年11月公布名单；第N年名单适用于N年11月1日至N+1年10月31日授予的学位。本工具的名录只持有每份名单的一部分，因此需要询问。",
    ),
    "uk_prior_graduate_des_hpi": (
        "Have you held UK permission as a Graduate, under the Doctorate Extension Scheme or "
        "as a High Potential Individual?",
        "你是否曾持有英国毕业生签证、博士延期计划或高潜力人才签证许可？",
        "The High Potential Individual visa is for people who have not had any of these.",
        "高潜力人才签证仅面向从未持有上述任何许可的人。",
    ),
    "uk_talent_field": (
        "In which field would you apply for the UK Global Talent visa?",
        "你将以哪个领域申请英国全球人才签证？",
        "Academia or research, arts and culture, or digital technology.",
        "学术或研究、艺术与文化，或数字技术。",
    ),
    "uk_endorsement": (
        "Do you hold a Global Talent endorsement?",
        "你是否已获得全球人才签证背书？",
        "From Tech Nation, the Royal Society, the British Academy, the Royal Academy of "
        "Engineering, UKRI or Arts Council England, as a leader or a potential leader. Choose "
        "'none' if not (yet).",
        "来自Tech Nation、英国皇家学会、英国国家学术院、英国皇家工程院、UKRI或英格兰艺术委员会，背书为领军人物或潜在领军人物。如尚未获得请选择“未获背书”。",
    ),
    "uk_talent_prize": (
        "Have you won a prize on the UK Global Talent list of eligible awards?",
        "你是否获得过英国全球人才签证合格奖项名单上的奖项？",
        "Winners can apply for the visa without an endorsement.",
        "获奖者无需背书即可直接申请签证。",
    ),
}

# Screen titles for whole lists and records: title_en, title_zh, help_en, help_zh.
SCREENS: Final[dict[str, tuple[str, str, str, str]]] = {
    "education": (
        "Your degrees and qualifications",
        "你的学位和学历",
        "Enter each degree you hold, starting with the highest; add another for each one.",
        "请逐一填写你获得的学位，从最高学位开始；每个学位单独添加。",
    ),
    "work": (
        "Your work experience",
        "你的工作经历",
        "Enter each job, starting with the current one; add another for each one.",
        "请逐一填写每份工作，从目前的工作开始；每份工作单独添加。",
    ),
    "languages": (
        "Your language results",
        "你的语言成绩",
        "Enter each language test you have taken, or a level you hold; add another for each.",
        "请逐一填写你参加过的语言考试或已获得的等级；每项单独添加。",
    ),
    "job_offer": (
        "Your job offer",
        "你的工作邀约",
        "Costs, who pays them and any lottery depend on the offer; tell us what you know.",
        "费用、由谁承担以及是否需要抽签都取决于工作邀约；请填写你所知道的信息。",
    ),
    "job_offer.employer": (
        "The employer who offers you the job",
        "向你提供工作的雇主",
        "Fees and who pays them depend on the employer's size and kind; the employer knows.",
        "费用及由谁承担取决于雇主的规模和类型；雇主会知道。",
    ),
    "job_offer.salary": (
        "The salary you are offered",
        "工作邀约的薪资",
        "Before tax, as in the offer.",
        "税前金额，以邀约为准。",
    ),
    "job_offer.uk_going_rate": (
        "The going rate for your occupation (UK)",
        "你所在职业的行业标准薪资（英国）",
        "The Home Office's minimum pay for the occupation code of the job; your sponsor states it.",
        "英国内政部为该职位职业代码设定的最低薪资；由担保方注明。",
    ),
    "funds": (
        "Money for your stay",
        "居留资金",
        "Some programmes ask you to show you can support yourself.",
        "部分项目要求你证明有能力负担自己的生活。",
    ),
    "family": (
        "Your family",
        "你的家庭成员",
        "Family members who would come with you; choose 'none' if nobody would.",
        "会随你同行的家庭成员；如没有，请选择“没有”。",
    ),
    "stays": (
        "Your stays abroad",
        "你的境外居留",
        "Earlier stays of several months, for study, work or family.",
        "以往数月以上的境外居留，如学习、工作或探亲。",
    ),
    "visas": (
        "Visas you hold",
        "你持有的签证",
        "Visas valid now or in the past, e.g. a US H-1B visa.",
        "目前或以往有效的签证，例如美国H-1B签证。",
    ),
    "registrations": (
        "Occupational registrations",
        "职业注册",
        "A registration or licence to practise, e.g. as a doctor or an engineer.",
        "执业注册或执照，例如医生或工程师。",
    ),
    "us_degree_equivalence": (
        "An evaluation of your education against a US degree",
        "对你的学历与美国学位的同等评估",
        "Only if you have no bachelor's degree: the H-1B accepts education, training or "
        "experience found equivalent to one.",
        "仅当你没有学士学位时：H-1B接受经评估相当于学士学位的教育、培训或经验。",
    ),
    "where": (
        "Where you live and where you will apply",
        "你的居住地和申请地",
        "Some programmes, and some fees, depend on where you are.",
        "部分项目和费用取决于你身在何处。",
    ),
}

# What one entry is called when nothing else is known of it, and the button adding another.
ENTRY_NOUNS: Final[dict[str, tuple[str, str]]] = {
    "education": ("Degree {n}", "学位{n}"),
    "work": ("Job {n}", "工作{n}"),
    "languages": ("Language result {n}", "语言成绩{n}"),
    "family": ("Family member {n}", "家庭成员{n}"),
    "stays": ("Stay {n}", "居留{n}"),
    "visas": ("Visa {n}", "签证{n}"),
    "registrations": ("Registration {n}", "注册{n}"),
    "citizenships": ("Nationality {n}", "国籍{n}"),
}
ADD_ANOTHER: Final[dict[str, tuple[str, str]]] = {
    "education": ("Add another degree", "再添加一个学位"),
    "work": ("Add another job", "再添加一份工作"),
    "languages": ("Add another language result", "再添加一项语言成绩"),
    "family": ("Add another family member", "再添加一位家庭成员"),
    "stays": ("Add another stay", "再添加一次居留"),
    "visas": ("Add another visa", "再添加一个签证"),
    "registrations": ("Add another registration", "再添加一项注册"),
    "citizenships": ("Add another nationality", "再添加一个国籍"),
}

# Plain names for choices, by the enum (or the fact) they belong to.
CHOICES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "EducationLevel": {
        "secondary": ("Secondary school", "高中"),
        "vocational": ("Vocational training or diploma", "职业培训或文凭"),
        "short_cycle": ("Associate or short-cycle degree", "专科（副学士）"),
        "bachelor": ("Bachelor's degree", "学士学位"),
        "master": ("Master's degree", "硕士学位"),
        "doctorate": ("Doctorate (PhD)", "博士学位"),
    },
    "Cefr": {c: (c, c) for c in ("A1", "A2", "B1", "B2", "C1", "C2")},
    "WorkKind": {
        "employment": ("Employment", "受雇工作"),
        "teaching": ("Teaching at a university", "高校教学"),
        "research": ("Research", "科研"),
        "postdoc": ("Postdoctoral position", "博士后"),
        "self_employment": ("Self-employment", "自雇"),
    },
    "Recognition": {
        "full": ("Yes, fully (equivalent)", "完全认可（等同）"),
        "partial": ("Partly (adjustment measures needed)", "部分认可（需补充措施）"),
        "none": ("No, not recognised", "未认可"),
        "pending": ("Assessment pending", "评估中"),
    },
    "Ranking": {
        "qs": ("QS World University Rankings", "QS世界大学排名"),
        "the": ("Times Higher Education (THE)", "泰晤士高等教育（THE）排名"),
        "arwu": ("Academic Ranking of World Universities (ARWU)", "软科世界大学学术排名（ARWU）"),
        "other": ("Another ranking", "其他排名"),
    },
    "ListMembership": {
        "listed": ("Yes, it is on the list", "是，列入名单"),
        "not_listed": ("No, it is not on the list", "否，未列入名单"),
        "not_said": ("Not said", "未说明"),
    },
    "CapExempt": {
        "no": ("No, a company subject to the cap", "否，受配额限制的企业"),
        "higher_education": ("Yes, a university or college", "是，高等院校"),
        "affiliated_nonprofit": (
            "Yes, a non-profit affiliated with a university",
            "是，高校附属非营利机构",
        ),
        "nonprofit_research": ("Yes, a non-profit research organisation", "是，非营利科研机构"),
        "government_research": ("Yes, a government research organisation", "是，政府科研机构"),
    },
    "UsPetitionRequest": {
        "consular_notification": (
            "Notify a US consulate (you get the visa abroad)",
            "通知美国领事馆（在境外办理签证）",
        ),
        "port_of_entry_notification": ("Notify a port of entry", "通知入境口岸"),
        "pre_flight_inspection": ("Pre-flight inspection", "预检"),
        "change_of_status": ("Change of status inside the US", "在美国境内变更身份"),
        "extension": ("Extension of stay", "延期"),
        "amendment": ("Amendment", "修改"),
    },
    "UsStatus": {
        "h1b": ("H-1B", "H-1B"),
        "f1": ("F-1 student, including OPT", "F-1学生（含OPT）"),
        "other_nonimmigrant": ("Another lawful non-immigrant status", "其他合法非移民身份"),
        "out_of_status": ("Out of status", "身份失效"),
    },
    "EquivalenceBasis": {
        "college_official": ("A college official who grants credit", "有权授予学分的大学官员"),
        "equivalency_exam": ("Equivalency exams (e.g. CLEP)", "同等学力考试（如CLEP）"),
        "credential_evaluation": ("A credential evaluation service", "学历评估机构"),
        "professional_body": ("A professional association", "专业协会"),
        "uscis": ("USCIS", "美国移民局"),
    },
    "LanguageTest": {
        "ielts": ("IELTS", "雅思（IELTS）"),
        "toefl_ibt": ("TOEFL iBT", "托福（TOEFL iBT）"),
        "pte_academic": ("PTE Academic", "PTE学术英语"),
        "goethe": ("Goethe-Zertifikat", "歌德证书"),
        "telc": ("telc", "telc"),
        "testdaf": ("TestDaF", "德福（TestDaF）"),
        "hsk": ("HSK", "汉语水平考试（HSK）"),
        "topik": ("TOPIK", "韩国语能力考试（TOPIK）"),
        "jlpt_n1": ("JLPT N1 (passed)", "日语能力考试N1（合格）"),
        "jlpt_n2": ("JLPT N2 (passed)", "日语能力考试N2（合格）"),
        "jlpt_n3": ("JLPT N3 (passed)", "日语能力考试N3（合格）"),
        "jlpt_n4": ("JLPT N4 (passed)", "日语能力考试N4（合格）"),
        "jlpt_n5": ("JLPT N5 (passed)", "日语能力考试N5（合格）"),
        "bjt": ("BJT Business Japanese (score)", "BJT商务日语能力考试（分数）"),
        "other": ("Another test", "其他考试"),
        "ielts_general": ("IELTS General Training", "雅思培训类（IELTS General Training）"),
        "celpip_general": ("CELPIP-General", "CELPIP通用类"),
        "tcf_canada": ("TCF Canada", "加拿大法语水平测试（TCF Canada）"),
    },
    "Relation": {
        "spouse": ("Spouse", "配偶"),
        "partner": ("Partner", "伴侣"),
        "child": ("Child", "子女"),
        "parent": ("Parent", "父母"),
        "sibling": ("Brother or sister", "兄弟姐妹"),
    },
    "StayPurpose": {
        "study": ("Study", "学习"),
        "work": ("Work", "工作"),
        "job_search": ("Looking for work", "求职"),
        "family": ("Family", "家庭"),
        "tourism": ("Tourism", "旅游"),
        "other": ("Something else", "其他"),
    },
    "Period": {
        "year": ("per year", "每年"),
        "month": ("per month", "每月"),
        "week": ("per week", "每周"),
        "hour": ("per hour", "每小时"),
    },
    "RegistrationStatus": {
        "full": ("Full", "正式"),
        "provisional": ("Provisional", "临时"),
        "pending": ("Applied for, pending", "已申请待批"),
    },
    "job_offer.us_wage_level": {
        "1": ("Level I (entry level)", "第一级（入门）"),
        "2": ("Level II (qualified)", "第二级（合格）"),
        "3": ("Level III (experienced)", "第三级（有经验）"),
        "4": ("Level IV (fully competent)", "第四级（完全胜任）"),
    },
    "job_offer.skill_level": {str(n): (f"Level {n}", f"第{n}级") for n in range(1, 6)},
    # Industries Korea's Top-Tier visa names (kr-top-tier.yaml, high_tech_industries).
    "job_offer.industry": {
        "semiconductors": ("Semiconductors", "半导体"),
        "bio": ("Biotechnology", "生物"),
        "secondary-batteries": ("Secondary batteries", "二次电池"),
        "displays": ("Displays", "显示屏"),
        "other": ("Another industry", "其他行业"),
    },
    # United Kingdom (uk-global-talent)
    "UkTalentField": {
        "academia_research": ("Academia or research", "学术或研究"),
        "arts_culture": ("Arts and culture", "艺术与文化"),
        "digital_technology": ("Digital technology", "数字技术"),
    },
    "UkEndorsement": {
        "exceptional_talent": ("Exceptional talent (a leader)", "卓越人才（领军人物）"),
        "exceptional_promise": (
            "Exceptional promise (a potential leader)",
            "卓越潜力（潜在领军人物）",
        ),
        "none": ("None (yet)", "未获背书"),
    },
}

# Field-level messages, in the reader's language.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "not_found": (
        "We could not find “{text}”. Did you mean: {names}?",
        "找不到“{text}”。你是不是要找：{names}？",
    ),
    "not_found_none": (
        "We could not find “{text}”. Try other words, or a shorter name.",
        "找不到“{text}”。请换个说法，或输入更短的名称。",
    ),
    "institution_not_found": (
        "“{text}” is not in our register. Pick a name from the list ({names}), or tick 'my "
        "institution is not listed'.",
        "“{text}”不在我们的名录中。请从列表中选择（{names}），或勾选“我的院校未列出”。",
    ),
    "not_a_number": ("Please give a number, e.g. {example}.", "请填写数字，例如{example}。"),
    "not_a_date": ("Please give a date (year, month and day).", "请填写日期（年、月、日）。"),
}
