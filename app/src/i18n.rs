//! Every visible string, in zh-CN (default) and English. The `messages!` table takes
//! both texts for each key, so a string without its translation does not compile.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The cookie that remembers the choice.
    pub const COOKIE: &'static str = "lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads the `lang` cookie out of a `Cookie` header value; zh-CN otherwise.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == Self::COOKIE)
            .map(|(_, v)| if v.trim() == "en" { Lang::En } else { Lang::Zh })
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A key for one visible string.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];
            /// Each key's name, as it travels (serde) and shows in logs (Debug).
            const NAMES: &'static [&'static str] = &[$(stringify!($key)),*];
            /// zh-CN and English for each key, in the keys' order. Tables, not matches:
            /// the browser's code then does not grow with every string (the derived
            /// serde and Debug impls of this enum were ~120 KB of wasm).
            const TEXTS: &'static [[&'static str; 2]] = &[$([$zh, $en]),*];
        }
    };
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        Self::TEXTS[self as usize][lang as usize]
    }

    /// The key's name (`ErrBadRequest`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn from_name(name: &str) -> Option<Msg> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// As serde's derive would: a unit variant, by name.
impl Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit_variant("Msg", *self as u32, self.name())
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Msg::from_name(&name).ok_or_else(|| serde::de::Error::unknown_variant(&name, Msg::NAMES))
    }
}

messages! {
    AppName => "同心", "Tongxin";
    StreetName => "老街街道", "Laojie Street";
    Tagline => "网格化 · 网络化 · 多元化", "Grids · Platform · Everyone";
    SwitchLang => "English", "中文";
    SwitchLangLabel => "切换到英文", "Switch to Chinese";
    NavHome => "首页", "Home";
    NavMap => "地图", "Map";
    NavGrids => "网格", "Grids";
    NavMe => "我的", "Me";
    NavAdmin => "管理", "Admin";
    MainNav => "主导航", "Main navigation";
    SkipToContent => "跳到正文", "Skip to content";
    Loading => "加载中…", "Loading…";
    Retry => "重试", "Retry";
    HomeWelcome => "欢迎，", "Welcome, ";
    HomeGuest => "居民、网格员、志愿者一起守护老街。", "Residents, grid workers and volunteers looking after Laojie together.";
    HomeFindGrid => "查看网格地图", "See the grid map";
    HomeFindGridHint => "找到您所在的网格和网格员", "Find your grid and the people who serve it";
    HomeGridList => "网格名录", "Grid directory";
    HomeGridListHint => "按社区列出全部网格与五员", "Every grid by community, with its five duties";
    HomeSignIn => "登录 / 注册", "Sign in / Sign up";
    HomeSignInHint => "用手机号注册，参与社区事务", "Register with your phone number to take part";
    MyGrids => "我负责的网格", "Grids I serve";
    Login => "登录", "Sign in";
    Logout => "退出登录", "Sign out";
    Signup => "注册", "Sign up";
    NoAccount => "还没有账号？注册", "No account yet? Sign up";
    HaveAccount => "已有账号？登录", "Have an account? Sign in";
    Phone => "手机号", "Phone number";
    Password => "密码", "Password";
    PasswordHint => "至少 8 位", "At least 8 characters";
    Name => "姓名", "Name";
    Working => "请稍候…", "Please wait…";
    SignedInAs => "当前用户", "Signed in as";
    Role => "身份", "Role";
    RoleResident => "居民", "Resident";
    RoleGridWorker => "网格员", "Grid worker";
    RoleCoordinator => "志愿者协调员", "Volunteer coordinator";
    RoleDirector => "社区主任", "Community director";
    RoleAdmin => "街道管理员", "Street admin";
    FlagVolunteer => "志愿者", "Volunteer";
    FlagPartyMember => "党员", "Party member";
    LevelStreet => "街道", "Street";
    LevelCommunity => "社区", "Community";
    LevelGrid => "网格", "Grid";
    DutyLeader => "网格长", "Grid leader";
    DutyPolice => "网格警务员", "Grid police officer";
    DutyManager => "网格管理员", "Grid manager";
    DutyProperty => "物业管理员", "Property manager";
    DutyPartyLeader => "网格党小组长", "Party group leader";
    MapTitle => "网格地图", "Grid map";
    MapView => "地图", "Map";
    ListView => "列表", "List";
    MapHint => "点击网格查看社区和网格员", "Tap a grid to see its community and staff";
    MapNoTiles => "底图未加载，仍可查看网格边界", "Base map not loaded; grid outlines still shown";
    MapRegion => "网格地图区域", "Grid map area";
    LocateMe => "我在哪个网格？", "Which grid am I in?";
    Locating => "正在定位…", "Locating…";
    LocateFailed => "无法获取位置，请在地图上点选网格", "Could not get your position; tap a grid on the map";
    LocateOutside => "您的位置不在本街道任何网格内", "Your position is outside every grid of this street";
    YouAreIn => "您在：", "You are in: ";
    GridStaff => "网格五员", "Grid staff";
    NoStaff => "暂无人员", "Nobody assigned";
    Community => "所属社区", "Community";
    GridsIn => "下辖网格", "Grids";
    ViewDetails => "查看详情", "Details";
    Close => "关闭", "Close";
    Call => "打电话", "Call";
    AdminGrids => "网格数据导入导出", "Import and export grids";
    ExportGeojson => "导出 GeoJSON", "Export GeoJSON";
    ImportGeojson => "导入 GeoJSON", "Import GeoJSON";
    ImportHint => "选择 GeoJSON 文件（FeatureCollection，每个要素含 code、name、level、parent_code 属性）", "Choose a GeoJSON file (a FeatureCollection; each feature has code, name, level and parent_code properties)";
    ImportFile => "GeoJSON 文件", "GeoJSON file";
    ImportDone => "导入完成：新增 {c} 个，更新 {u} 个", "Imported: {c} created, {u} updated";
    ImportChooseFile => "请先选择文件", "Choose a file first";
    NotFoundTitle => "页面不存在", "Page not found";
    BackHome => "返回首页", "Back to home";
    Legend => "图例：事件状态", "Legend: ticket states";
    NavReport => "上报", "Report";
    NavTickets => "事件", "Tickets";
    ReportTitle => "上报事件", "Report a problem";
    Category => "类别", "Category";
    ChooseCategory => "请选择…", "Choose…";
    Description => "描述", "Description";
    DescriptionHint => "是什么问题、在哪儿、有多急（2–500 字）", "What is wrong, where, how urgent (2–500 characters)";
    Parties => "当事人", "Parties";
    PartiesHint => "例如：3 号楼 302 与 402 住户", "e.g. the households in flats 302 and 402 of block 3";
    Location => "位置", "Location";
    UseMyLocation => "使用我现在的位置", "Use my current position";
    PinOnMap => "或在地图上点一下选择位置", "Or tap the map to place the pin";
    LocationSet => "已选位置：", "Position: ";
    OutsideGrids => "不在网格内，由街道处理", "outside every grid; the street will handle it";
    Photos => "照片", "Photos";
    PhotosNeeded => "请拍 1–6 张照片，会自动压缩后上传", "Take 1 to 6 photos; they are shrunk before upload";
    PhotosOptional => "可选，最多 6 张", "Optional, at most 6";
    AddPhoto => "拍照或选择照片", "Take or choose a photo";
    RemovePhoto => "删除这张照片", "Remove this photo";
    Preparing => "正在压缩照片 {i}/{n}…", "Shrinking photo {i} of {n}…";
    Uploading => "正在上传 {p}%", "Uploading {p}%";
    UploadFailed => "网络中断，没有提交成功。请检查网络后点“重试”，不会重复提交。", "The connection dropped before it was sent. Check the network and tap Retry; it will not be sent twice.";
    ErrConnection => "网络中断，没有提交成功。请检查网络后再试一次。", "The connection dropped before it was sent. Check the network and try again.";
    Submit => "提交", "Submit";
    Emergency => "紧急", "Emergency";
    EmergencyRule => "紧急事件：{a} 分钟内响应，{o} 分钟内到场", "Emergency: answer within {a} min, on site within {o} min";
    DueIn => "{t}后到期", "due in {t}";
    Overdue => "已超时 {t}", "overdue by {t}";
    TicketOwner => "负责人：{n}", "Responsible: {n}";
    TicketUnassigned => "尚未分派负责人", "No one responsible yet";
    TicketMine => "我负责", "Mine";
    NoTickets => "暂无事件", "No tickets";
    TabQueue => "待办", "To do";
    TabBoard => "总览", "Board";
    TabMine => "我上报的", "My reports";
    FilterStatus => "状态", "Status";
    FilterAll => "全部", "All";
    FilterOverdue => "只看超时", "Overdue only";
    Enlarge => "查看大图", "View larger";
    Reporter => "上报人", "Reported by";
    Assignee => "负责人", "Assigned to";
    Mediator => "调解员", "Mediator";
    Agreement => "调解协议", "Agreement";
    DuplicateOf => "与此事件重复（编号）", "Duplicate of (number)";
    Timeline => "处理记录", "Timeline";
    Reason => "原因", "Reason";
    Note => "说明（可选）", "Note (optional)";
    AfterPhoto => "处理后照片（必填）", "Photo after the fix (required)";
    AdminCategories => "事件类别", "Ticket categories";
    NewCategory => "新增类别", "New category";
    Saved => "已保存", "Saved";
    Code => "编码", "Code";
    NameZh => "中文名称", "Chinese name";
    NameEn => "英文名称", "English name";
    Kind => "类型", "Kind";
    DutyField => "负责岗位", "Handled by";
    AcceptMin => "受理时限（分钟）", "Accept within (minutes)";
    OnSiteMin => "到场时限（分钟，仅紧急类）", "On site within (minutes, emergencies only)";
    ResolveMin => "办结时限（分钟）", "Resolve within (minutes)";
    MenuOf => "适用范围", "Applies to";
    StreetWide => "全街道", "The whole street";
    Active => "启用", "Active";
    Save => "保存", "Save";
    Edit => "编辑", "Edit";
    DeadlineLine => "受理 {a} 分钟 · 办结 {r} 分钟", "accept {a} min · resolve {r} min";
    StPending => "待受理", "Pending";
    StAccepted => "已受理", "Accepted";
    StInProgress => "处置中", "In progress";
    StChecking => "待核查", "Awaiting check";
    StResolved => "已办结", "Resolved";
    StClosed => "已关闭", "Closed";
    StRejected => "不予受理", "Rejected";
    StDuplicate => "重复事件", "Duplicate";
    ActAccept => "受理", "Accept";
    ActStart => "到场处置", "On site, start work";
    ActResolve => "办结", "Resolve";
    ActResolvePartly => "部分解决", "Partly fixed";
    ActNotOurs => "不属于职责范围", "Not ours to fix";
    ActPassCheck => "核查通过", "Check passed";
    ActFailCheck => "核查不通过，退回", "Check failed, send back";
    OutcomeFixed => "已解决", "Fixed";
    OutcomePartly => "部分解决", "Partly fixed";
    OutcomeNotOurs => "不属于职责范围", "Not ours to fix";
    OutcomeField => "办理结果", "Outcome";
    CheckerField => "办结后由谁核查", "Who checks a fix";
    CheckerNone => "不核查", "Not checked";
    CheckerLeader => "网格长核查", "The grid leader";
    CheckerDirector => "社区主任核查", "The community director";
    CheckerOtherStaff => "网格内其他工作人员核查", "Any other staff of the grid";
    CheckTitle => "核查整改", "Check the fix";
    CheckDue => "核查期限：{t}", "Check due: {t}";
    CheckBefore => "整改前", "Before";
    CheckAfter => "整改后", "After";
    Rework => "返工", "Rework";
    ReworkCount => "返工 {n} 次", "Sent back {n} times";
    LeftToDo => "还剩什么没解决", "What is left to do";
    ResponsibleBody => "应由哪个单位负责（将告知反映人）", "Which body is responsible (the reporter is told)";
    OnSitePhoto => "现场照片（可选）", "On-site photo (optional)";
    ErrLeftToDo => "请写明还剩什么没解决", "Say what is left to do";
    ErrResponsibleBody => "请写明应由哪个单位负责", "Say which body is responsible";
    ErrChecker => "核查人不能是办结人", "The person who resolved it cannot check it";
    ActRate => "评价", "Rate";
    ActRecordRating => "电话回访，记录评价", "Call back and record the rating";
    RecordRatingHint => "请打电话问反映人是否满意，按他的回答点选；办理此事的人不能代记。", "Call the resident and tap their answer; whoever handled it may not record it.";
    ProxyFor => "代报", "Filed for";
    ProxyName => "代谁上报：姓名（可选）", "Filed for: name (optional)";
    ProxyPhone => "代谁上报：手机号", "Filed for: mobile number";
    ProxyHint => "替没有智能手机的居民上报：填他的手机号，回访时打这个电话；他以后用这个号注册并经确认后，也能在自己手机上看到和评价。", "For a resident without a smartphone: their number is called for the rating; once they sign up with it and are confirmed, they see and rate it themselves.";
    ProxyLine => "{name}（{phone}）", "{name} ({phone})";
    RateSatisfied => "满意", "Satisfied";
    RateBasic => "基本满意", "Mostly satisfied";
    RateNeutral => "一般", "So-so";
    RateUnsatisfied => "不满意", "Not satisfied";
    RateVeryUnsatisfied => "很不满意", "Very dissatisfied";
    RateNoAnswer => "未回复（满7天）", "No answer (7 days)";
    RateAsk => "这件事办得您满意吗？", "Are you satisfied with how this was handled?";
    RateHint => "点一下就提交。不满意会退回重办一次。", "One tap sends it. Not satisfied sends it back for one redo.";
    RateComment => "想说的话（可选）", "Anything to add (optional)";
    RateUntil => "请在 {t} 前评价，逾期记为“未回复”", "Please rate before {t}; after that it counts as no answer";
    RatingField => "群众评价", "Resident's rating";
    EvRated => "评价", "Rated";
    ErrRating => "请选择满意程度", "Choose how satisfied you are";
    RateWaiting => "待您评价", "Waiting for your rating";
    EvMerged => "合并了重复反映", "A duplicate merged in";
    Reports => "{n} 人反映", "{n} people reported it";
    Following => "您已关注此事，每一步都会告诉您", "You follow this: you are told of every step";
    NearbyTitle => "附近 50 米内已有人反映过同类问题", "Already reported within 50 m";
    NearbyHint => "如果是同一件事，点“就是这个”，办理的每一步都会告诉您，不用重复上报。", "If it is the same, tap \"This is it\": you are told of every step, no need to report again.";
    ThisIsIt => "就是这个", "This is it";
    NearbyLine => "相距 {m} 米 · {t} 上报", "{m} m away · reported {t}";
    ErrMonth => "月份格式应为 2026-12", "A month looks like 2026-12";
    AsTitle => "考核", "Assessment";
    HomeWorklogHint => "记走访、电话，关爱对象按期上门", "Log visits and calls; see care visits due";
    WlTitle => "民情日志", "Work log";
    WlIntro => "记下走访和电话：见了谁、听到什么、发现什么问题。照片和位置都不是必填，记录条数不计分。", "Log visits and calls: whom you saw, what you heard, the problems found. Photos and position are never required, and the number of entries is never scored.";
    WlStaffOnly => "民情日志只对网格员、社区书记和街道管理员开放", "The work log is for grid staff, community directors and street admins";
    WlNew => "记一笔", "New entry";
    WlWhom => "对象", "Whom";
    WlWhomOther => "其他（写明对象或地点）", "Someone else (name them or the place)";
    WlSubject => "对象或地点", "Person or place";
    WlSubjectHint => "如：3号楼地下室、王大爷家", "e.g. the basement of block 3, Mr Wang's home";
    WlHow => "方式", "How";
    WlVisit => "上门", "Visit";
    WlCall => "电话", "Call";
    WlOther => "其他", "Other";
    WlVisitCounts => "只有上门走访计入关爱对象的走访周期", "Only visits in person count towards a care plan's cycle";
    WlHeard => "听到的情况", "What you heard";
    WlProblems => "发现的问题", "Problems found";
    WlProblemNote => "问题描述", "The problem";
    WlSolved => "已当场解决", "Solved on the spot";
    WlRemove => "删除", "Remove";
    WlAddProblem => "添加问题", "Add a problem";
    WlAddPosition => "添加当前位置", "Add my position";
    WlPositionAdded => "已记录位置", "Position added";
    WlSave => "保存记录", "Save the entry";
    WlLogged => "已记录", "Saved";
    WlLog => "日志", "Log";
    WlNoEntries => "还没有记录", "No entries yet";
    WlCare => "关爱对象", "Care objects";
    WlNoCare => "没有需要走访的关爱对象", "No care objects to visit";
    WlCoverage => "本月走访覆盖", "Care coverage this month";
    WlObjects => "关爱对象", "Care objects";
    WlDueSoFar => "本月已到期", "Due so far";
    WlVisitedInCycle => "按期走访", "Visited in cycle";
    WlWeekly => "每周走访", "Weekly visits";
    WlMonthly => "每月走访", "Monthly visits";
    WlVisitor => "走访人", "Visited by";
    WlNeeds => "需求", "Needs";
    WlLastVisit => "上次走访 {t}", "Last visit {t}";
    WlNeverVisited => "尚未走访", "Not visited yet";
    WlOverdueSince => "{t} 已到期", "Overdue since {t}";
    WlDueBy => "{t} 前走访", "Visit by {t}";
    WlVisitNow => "记录走访", "Log a visit";
    WlPlan => "调整走访计划", "Adjust the care plan";
    WlCycle => "走访周期", "Visit cycle";
    WlToTicket => "转为工单", "Make it a ticket";
    WlOpen => "未解决", "Open";
    WlComment => "点评", "Comment";
    WlCommentSend => "发表点评", "Post the comment";
    WlFromLog => "来自民情日志的问题：补充照片后提交", "A problem from the work log: add a photo and send";
    WlErrHow => "请选择方式：上门、电话或其他", "Choose how: visit, call or other";
    WlErrWhom => "请选择对象，或写明对象或地点", "Choose whom, or name the person or place";
    WlErrSubjectLong => "对象或地点最多 60 字", "The person or place: 60 characters at most";
    WlErrHeard => "请写下听到的情况（最多 1000 字）", "Write what you heard (1000 characters at most)";
    WlErrProblems => "一次最多记 10 个问题", "At most 10 problems in one entry";
    WlErrProblemNote => "每个问题请写明描述（最多 500 字）", "Describe each problem (500 characters at most)";
    WlErrComment => "请写点评内容（最多 500 字）", "Write the comment (500 characters at most)";
    WlErrResident => "没有这位居民", "No such resident";
    WlErrResidentScope => "这位居民不在您负责的网格", "This resident is not in your grids";
    WlErrNoGrid => "您还没有分配网格，无法记录", "You have no grid yet, so nothing can be logged";
    WlErrCycle => "请选择走访周期", "Choose a visit cycle";
    WlErrNeeds => "需求最多 500 字", "Needs: 500 characters at most";
    WlErrVisitor => "走访人须是这个网格的工作人员", "The visitor must be one of this grid's staff";
    WlErrNotCared => "这位居民不是关爱对象（独居老人、残疾、低保户）", "This resident is not a care object (living alone, disabled, low income)";
    WlErrProblemTaken => "这个问题已转为工单、已解决，或不是您记录的", "This problem is already a ticket, was solved, or is not in your log";
    HomeAssessmentHint => "本月按结果计分，每一分都看得到来由", "This month's score from outcomes, every point with its reason";
    AsIntro => "只看群众感受得到的结果：按时办结、核查通过、群众满意、主动发现、按期走访。不计学习积分、打卡、在线时长、定位和照片数量。", "Scored on outcomes residents feel: cases handled on time, fixes that pass the check, residents satisfied, problems found, visits made. Never study points, check-ins, time online, locations or photo counts.";
    AsMine => "我的考核", "My assessment";
    AsStaff => "工作人员本月得分", "Staff this month";
    AsTotal => "总分", "Total";
    AsGradeLine => "{t} 分 · 等级 {g}", "{t} points · grade {g}";
    AsEntries => "加减分明细", "Entries";
    AsNoEntries => "本月没有加减分记录", "No entries this month";
    AsHandling => "事件办理", "Case handling";
    AsFoundDim => "主动发现", "Problems found";
    AsSatisfaction => "群众满意", "Residents satisfied";
    AsCare => "服务走访", "Care visits";
    AsYellowCard => "黄牌（超时受理或超期办结）", "Yellow card (late to accept or past the deadline)";
    AsRedCard => "红牌（严重超时）", "Red card (far too late)";
    AsRework => "核查退回返工", "Fix sent back at the check";
    AsFound => "主动发现并上报", "Found and reported";
    AsBonus => "加分", "Bonus";
    AsDeduction => "扣分", "Deduction";
    AsFewRatings => "本月评价不足 5 件，按满分计", "Fewer than 5 ratings this month: counted as full";
    AsNoCareDue => "本月没有到期的走访对象，按满分计", "No care visits due this month: counted as full";
    AsCorrection => "更正（申诉成立，撤销原记录）", "Correction (appeal upheld, entry cancelled)";
    AsUpheld => "申诉成立", "Appeal upheld";
    AsRejected => "申诉不成立", "Appeal rejected";
    AsErrManualKind => "只能手工加分或扣分", "Only a bonus or a deduction can be given by hand";
    AsErrPoints => "分值超出规则允许的范围（加分 1–10，扣分 1–20）", "Points outside what the rules allow (bonus 1–10, deduction 1–20)";
    AsRanking => "本社区排名", "Community ranking";
    AsRankingsOff => "排名：关闭（默认；基层减负要求不向工作人员推送积分排名）", "Rankings: off (the default; staff are not pushed points rankings)";
    AsRankingsOn => "排名：已开启，工作人员能看到本社区的排名", "Rankings: on; staff see their community ranked";
    AsRankingsTurnOn => "开启排名", "Turn rankings on";
    AsRankingsTurnOff => "关闭排名", "Turn rankings off";
    AsErrYear => "请选择年份（2000–2100）", "Choose a year (2000–2100)";
    AsYearXlsx => "下载全年考核表（Excel）", "Download the year's scores (Excel)";
    AsErrEvidence => "请写明依据（文件、事件编号或经过），4–500 字", "Write the evidence (a document, a case number or what happened), 4–500 characters";
    AsErrAppealReason => "请写明理由，4–500 字", "Write the reason, 4–500 characters";
    AsErrPublished => "本月考核已公示，不能再加减分；有异议请走申诉", "This month is published: no more points by hand; disagreements go through appeals";
    AsErrMonthNotOver => "这个月还没结束，月底后才能公示", "The month is not over yet: publish it after month end";
    AsErrAlreadyPublished => "这个月已经公示过了", "This month is already published";
    AsErrNotInWindow => "现在不在公示期内，不能申诉", "Appeals are only taken while the month is published";
    AsErrAppealed => "这条记录已经申诉过了", "This entry has already been appealed";
    AsErrDecided => "这件申诉已经处理过了", "This appeal has already been decided";
    AsErrOwnEntry => "这条分是您给的，须由其他人复核", "You gave these points: someone else must decide the appeal";
    AsErrFinal => "本月考核已定稿，不能再修改", "This month is final and cannot be changed";
    AsErrCorrection => "更正记录不能申诉", "A correction cannot be appealed";
    AsErrDecision => "请选择申诉是否成立", "Choose whether the appeal is upheld";
    ErrNoCommunity => "请选择社区", "Choose a community";
    AsStatusOpen => "未公示：本月仍在计分", "Not published: still being scored";
    AsStatusPublished => "公示中：{t} 前可对任何一条记录申诉", "Published: any entry may be appealed until {t}";
    AsStatusFinal => "已定稿：只读", "Final: read-only";
    AsPublish => "审核无误，公示本月考核", "Reviewed: publish this month";
    AsPublishHint => "公示 5 个工作日，期间本社区工作人员可以看到每人得分并提出申诉。", "Published for 5 working days: the community's staff see each score and may appeal.";
    AsAppeal => "申诉", "Appeal";
    AsAppealReason => "申诉理由", "Why this entry is wrong";
    AsAppealSend => "提交申诉", "Send the appeal";
    AsAppealOpen => "申诉待处理", "Appeal waiting";
    AsAppeals => "待处理的申诉", "Appeals waiting";
    AsNoAppeals => "没有待处理的申诉", "No appeals waiting";
    AsDecisionReason => "处理意见", "Decision and reason";
    AsUphold => "申诉成立，撤销该记录", "Uphold: cancel the entry";
    AsReject => "申诉不成立", "Reject";
    AsGive => "加减分（须写明依据）", "Bonus or deduction (with evidence)";
    AsGiveKind => "类型", "Kind";
    AsPoints => "分值", "Points";
    AsEvidence => "依据", "Evidence";
    AsGiveSend => "记入考核", "Record it";
    AsBoard => "本社区公示", "Published for the community";
    AsCorrected => "已撤销", "Cancelled";
    AsNotStaff => "考核只针对网格工作人员", "Assessment is for grid staff";
    StatsTitle => "办事公开", "How reports are handled";
    StatsIntro => "每月上报的问题如实统计：只有经第二人核查（按类别要求）、且群众未评“不满意”的才算解决；7 天未评价记为“未回复”，不算满意。", "Each month's reports, counted honestly: only a fix checked by a second person (where its category asks) and not rated unsatisfied counts as fixed; no answer within 7 days is never counted as satisfied.";
    HomeStatsHint => "每月反映了多少、解决了多少、群众满不满意", "Each month: how many reports, how many fixed, how satisfied";
    StatsStreet => "全街道", "Whole street";
    StatsCommunities => "各社区", "Communities";
    StatsGrids => "各网格（仅工作人员可见）", "Grids (staff only)";
    StatsReported => "上报", "Reported";
    StatsFixed => "解决率", "Share fixed";
    StatsMedian => "上报到解决（中位数）", "Report to fix (median)";
    StatsRated => "回访评价率", "Share rated";
    StatsSatisfied => "满意率", "Share satisfied";
    StatsOf => "{a} / {b} 件", "{a} of {b}";
    StatsEmpty => "这个月还没有上报", "Nothing reported this month";
    ErrMergeClosed => "只能并入还在办理中的事件，请核对编号", "Only a ticket still being handled can take a duplicate: check the number";
    ActConfirm => "确认已解决", "Confirm it is fixed";
    ActReopen => "没解决，重新处理", "Not fixed, reopen";
    ActReject => "不予受理", "Reject";
    ActDuplicate => "标记为重复", "Mark as duplicate";
    KindProblem => "问题上报", "Problem";
    KindMediation => "矛盾纠纷", "Dispute mediation";
    KindService => "群众点菜", "Service request";
    EvCreated => "上报", "Reported";
    EvEscalatedCommunity => "超时，已通知社区主任", "Overdue: community director alerted";
    EvEscalatedStreet => "严重超时，已上报街道", "Long overdue: street alerted";
    ErrAgreement => "请填写调解协议内容", "Write down what the parties agreed";
    ErrCategoryName => "类别名称不能为空（最多 40 字）", "A category needs a name (at most 40 characters)";
    ErrDeadlines => "时限无效：受理 ≤ 到场 ≤ 办结，均为 1 分钟至一年", "Invalid time limits: accept ≤ on site ≤ resolve, each 1 minute to a year";
    ErrDescription => "请描述问题（2–500 字）", "Describe the problem (2–500 characters)";
    ErrCategory => "请选择类别", "Choose a category";
    ErrPhotoCount => "请添加 1–6 张照片", "Add 1 to 6 photos";
    ErrRequestKey => "请求无效，请刷新页面后重试", "Invalid request; reload the page and try again";
    ErrNotNow => "该事件当前状态下不能进行此操作", "This cannot be done to the ticket in its current state";
    ErrParties => "请填写当事人（最多 200 字）", "Name the parties (at most 200 characters)";
    ErrCodeTaken => "该编码已被使用", "This code is already in use";
    ErrForm => "表单内容不完整，请重试", "The form arrived incomplete; please try again";
    ErrNote => "说明最多 500 字", "A note is at most 500 characters";
    ErrUnauthorized => "请先登录", "Please sign in first";
    ErrForbidden => "您没有权限进行此操作", "You are not allowed to do this";
    ErrNotFound => "未找到", "Not found";
    ErrRateLimited => "尝试次数过多，请 {n} 分钟后再试", "Too many attempts; try again in {n} minutes";
    ErrInternal => "服务器出错了，请稍后重试", "Something went wrong on the server; please try again";
    ErrPhone => "请输入 11 位手机号", "Enter an 11-digit mobile number";
    ErrPasswordLength => "密码需 8 至 128 位", "The password must be 8 to 128 characters";
    ErrName => "请输入姓名（最多 20 字）", "Enter your name (at most 20 characters)";
    ErrPhoneTaken => "该手机号已注册，请直接登录", "This phone number is already registered; please sign in";
    ErrBadLogin => "手机号或密码不正确", "Wrong phone number or password";
    ErrGeojson => "GeoJSON 格式不正确", "This is not valid GeoJSON";
    ErrGeometry => "每个网格需要 Polygon 或 MultiPolygon 边界", "Each grid needs a Polygon or MultiPolygon boundary";
    ErrGridCode => "网格编码只能是 1–32 位字母、数字、- 或 _", "A grid code is 1–32 letters, digits, - or _";
    ErrGridLevel => "网格层级须为 1、2 或 3，且上级层级少一级", "Grid level must be 1, 2 or 3, one below its parent";
    ErrGridParent => "找不到上级网格", "The parent grid does not exist";
    ErrGridName => "网格名称不能为空（最多 40 字）", "A grid needs a name (at most 40 characters)";
    ErrLocation => "这个位置不对，请重新选择位置", "That place could not be used; choose the place again";
    ErrNoPlace => "请选择位置：点“使用我现在的位置”，或在地图上点一下", "Choose the place: tap “Use my current position” or tap the map";
    FindingGrid => "正在确定网格…", "Finding the grid…";
    GridUnknown => "暂时无法确定网格，提交后由街道分派", "The grid could not be found now; the street will assign it";
    ErrTooLarge => "文件太大", "The file is too large";
    ErrAfterPhoto => "办结需要上传处理后的照片", "Resolving needs an \"after\" photo";
    ErrReason => "请填写原因", "Please give a reason";
    ErrDuplicateOf => "请指明与哪个事件重复", "Say which ticket this duplicates";
    ErrPhotoType => "只支持 JPEG、PNG、WebP 照片", "Only JPEG, PNG and WebP photos are accepted";
    ErrPhotoPixels => "照片像素过多，请换一张", "The photo has too many pixels; choose another";
    NavAlerts => "预警", "Alerts";
    AlertsTitle => "预警通知", "Alerts";
    AlertsEmpty => "最近 7 天没有预警", "No alerts in the last 7 days";
    AlertNew => "发布预警", "Publish an alert";
    AlertBanner => "预警", "Alert";
    AlertArea => "范围", "Area";
    AlertSent => "发布时间", "Sent";
    AlertExpires => "有效至", "In force until";
    AlertSender => "发布人", "Sent by";
    AlertYourAnswer => "您的回复：", "Your answer: ";
    AlertAnswerThanks => "已收到您的回复，谢谢", "Your answer has arrived, thank you";
    AlertAttachLocation => "附上我现在的位置", "Attach my current position";
    AlertSignInToAnswer => "登录后可回复“收到 / 我安全 / 需要帮助”", "Sign in to answer “received / safe / need help”";
    AlertStateActive => "生效中", "In force";
    AlertStateExpired => "已过期", "Expired";
    AlertStateCancelled => "已撤销", "Withdrawn";
    AlertCancel => "撤销预警", "Withdraw the alert";
    AlertCoverage => "覆盖情况与回访", "Coverage and follow-up";
    AlertTitleField => "标题", "Title";
    AlertBodyField => "内容", "Text";
    AlertCategory => "类别", "Category";
    AlertUrgency => "紧急程度", "Urgency";
    AlertSeverity => "严重程度", "Severity";
    AlertCertainty => "确定性", "Certainty";
    AlertExpiresIn => "有效时长", "Stays in force for";
    AlertFollowUpAfter => "多久后回访未确认的独居老人和残疾人", "Follow up elderly-alone and disabled residents who have not confirmed after";
    AlertTargets => "发送范围", "Send to";
    AlertTargetsHint => "不选则发送到您负责的全部区域", "Choose none to send to your whole area";
    AlertPreview => "预览", "Preview";
    AlertBack => "返回修改", "Back to editing";
    AlertPublish => "确认发布", "Publish now";
    AlertPreviewNote => "居民手机上将这样显示：", "Residents' phones will show:";
    Minutes => "{n} 分钟", "{n} min";
    Hours => "{n} 小时", "{n} h";
    CovGrid => "网格", "Grid";
    CovTargeted => "登记居民", "Registered";
    CovDelivered => "已送达", "Delivered";
    CovOpened => "已查看", "Opened";
    CovConfirmed => "已确认", "Confirmed";
    CovNeedHelp => "求助", "Need help";
    CovReached => "已上门", "Visited";
    CovTotal => "合计", "Total";
    CovUnplaced => "未登记的账号", "Accounts not in the registry";
    CovLive => "每 3 秒自动刷新", "Refreshes every 3 seconds";
    AudienceTitle => "将送达", "Will reach";
    AudienceCommunity => "所属社区", "Community";
    AudiencePages => "此刻打开的页面", "Pages open now";
    AudienceSummary => "{area}：登记居民 {r} 人，此刻打开的页面 {p} 个。", "{area}: {r} registered residents, {p} pages open now.";
    AudienceAnywhere => "另有 {n} 个未登录或未登记住址的页面此刻打开，也会立即显示这条预警。", "{n} more pages are open now whose holder is signed out or has no registered home; they will show the alert at once too.";
    FollowUpTitle => "重点人群回访", "Follow-up of vulnerable residents";
    FollowUpOpensAt => "回访名单将于 {t} 开放", "The follow-up list opens at {t}";
    FollowUpEmpty => "没有需要回访的人", "Nobody needs a visit";
    FollowUpApp => "App 回复：", "In the app: ";
    FollowUpNoAnswer => "未回复", "no answer";
    FollowUpResult => "回访结果：", "Visit: ";
    NavResidents => "居民", "Residents";
    ResidentsTitle => "居民信息", "Residents registry";
    ResidentsTotal => "共 {n} 人", "{n} people";
    ResidentsShowing => "显示前 {n} 人，请用搜索缩小范围", "Showing the first {n}; search to narrow down";
    ResidentsSearch => "搜索姓名、楼栋或房号", "Search name, building or room";
    AllTags => "全部人群", "Everyone";
    ShowContact => "查看号码", "Show numbers";
    ContactAudited => "查看号码会记入审计日志", "Showing numbers is written to the audit log";
    HasAccount => "已注册", "Has an account";
    IdNumberLabel => "身份证", "ID";
    ResidentsImport => "批量导入居民", "Import residents";
    ResidentsImportHint => "CSV 或 XLSX，第一行为表头：网格编码、楼栋、房号、姓名、手机号、身份证号（可选）、标签（可选，用顿号分隔）。有任何一行出错则全部不导入。", "CSV or XLSX; the first row names the columns: 网格编码 (grid code), 楼栋 (building), 房号 (room), 姓名 (name), 手机号 (phone), 身份证号 (ID, optional), 标签 (tags, optional). If any row is wrong, nothing is imported.";
    ResidentsImportDone => "导入完成：新增 {c} 人，更新 {u} 人", "Imported: {c} new, {u} updated";
    ResidentsImportFailed => "文件有 {n} 处问题，未导入任何数据：", "The file has {n} problems; nothing was imported:";
    ColRow => "行", "Row";
    ColColumn => "列", "Column";
    ColProblem => "问题", "Problem";
    ColValue => "内容", "Value";
    AuditTitle => "个人信息查看记录", "Personal data reads";
    AuditWhen => "时间", "When";
    AuditWho => "查看人", "Who";
    AuditWhat => "操作", "What";
    AuditSubject => "对象", "Whose";
    HomeAlerts => "预警通知", "Alerts";
    HomeAlertsHint => "查看预警，回复平安或求助", "Read alerts; say you are safe or ask for help";
    HomeResidents => "居民信息", "Residents registry";
    HomeResidentsHint => "楼栋、住户和重点人群", "Buildings, households and people who need care";
    CapGeo => "地质", "Geophysical";
    CapMet => "气象", "Weather";
    CapSafety => "公共安全", "Public safety";
    CapSecurity => "治安", "Security";
    CapRescue => "救援", "Rescue";
    CapFire => "火灾", "Fire";
    CapHealth => "卫生健康", "Health";
    CapEnv => "环境", "Environment";
    CapTransport => "交通", "Transport";
    CapInfra => "基础设施", "Infrastructure";
    CapOther => "其他", "Other";
    CapUnknown => "未知", "Unknown";
    UrgImmediate => "立即行动", "Immediate";
    UrgExpected => "1 小时内行动", "Expected (within an hour)";
    UrgFuture => "近期", "Future";
    UrgPast => "已过去", "Past";
    SevExtreme => "特别严重（红色）", "Extreme (red)";
    SevSevere => "严重（橙色）", "Severe (orange)";
    SevModerate => "较重（黄色）", "Moderate (yellow)";
    SevMinor => "一般（蓝色）", "Minor (blue)";
    CerObserved => "已发生", "Observed";
    CerLikely => "很可能", "Likely";
    CerPossible => "可能", "Possible";
    CerUnlikely => "不太可能", "Unlikely";
    AnsReceived => "收到", "Received";
    AnsSafe => "我安全", "I am safe";
    AnsNeedHelp => "需要帮助", "I need help";
    OutSafe => "已上门，平安", "Visited: safe";
    OutNeedHelp => "已上门，需要帮助", "Visited: needs help";
    OutNotReached => "未联系上", "Not reached";
    ErrTitleRequired => "请填写标题", "Enter a title";
    ErrTitleTooLong => "标题最多 60 字", "A title is at most 60 characters";
    ErrBodyRequired => "请填写预警内容", "Enter the alert text";
    ErrBodyTooLong => "内容最多 2000 字", "The text is at most 2000 characters";
    ErrExpiresRange => "有效时长须在 1 分钟到 7 天之间", "It must stay in force between 1 minute and 7 days";
    ErrFollowUpRange => "回访时间须在 1 分钟到 24 小时之间", "Follow-up must start between 1 minute and 24 hours";
    ErrAlertClosed => "该预警已过期或撤销", "This alert has expired or was withdrawn";
    ErrUnknownGrid => "没有这个网格", "No such grid";
    ErrGridOutOfScope => "该网格不在您的管辖范围", "This grid is outside your area";
    TagElderlyAlone => "独居老人", "Elderly living alone";
    TagDisabled => "残疾", "Disabled";
    TagFloating => "流动人口", "Floating population";
    TagLowIncome => "低保户", "Low income";
    ErrColumnMissing => "缺少这一列", "This column is missing";
    ErrRequired => "不能为空", "Required";
    ErrNameTooLong => "姓名最多 40 字", "A name is at most 40 characters";
    ErrIdNumber => "身份证号不正确（18 位，含校验位）", "Not a valid 18-character ID number";
    ErrUnknownTag => "不认识的标签", "Unknown tag";
    ErrFileType => "请上传 CSV 或 XLSX 文件", "Upload a CSV or XLSX file";
    ErrEmptyFile => "文件中没有数据行", "The file has no data rows";
    ErrTooManyRows => "一次最多导入 50000 行", "At most 50,000 rows per import";
    ErrPhotoBroken => "照片已损坏，无法读取", "The photo is damaged and cannot be read";
    ErrTooLong => "内容太长", "Too long";
    ErrAge => "年龄应为 0–130 的整数", "Age must be a whole number from 0 to 130";
    ErrPushEndpoint => "推送地址无效", "Invalid push endpoint";
    ErrPushKeys => "推送密钥无效", "Invalid push keys";
    ErrNoRecipients => "所选范围内没有可接收通知的工作人员", "No staff in that area to receive the notice";
    ErrMissingClosed => "该寻人启事已结束（人已找到）", "This notice is closed (the person was found)";
    NavNotices => "通知", "Notices";
    NoticesTitle => "工作通知", "Staff notices";
    NoticesEmpty => "还没有通知", "No notices yet";
    NoticeNew => "发通知", "New notice";
    NoticeUnread => "未读", "Unread";
    NoticeRead => "已读", "Read";
    NoticeReadBy => "已读 {r} / {n}", "Read by {r} of {n}";
    NoticeReceipts => "阅读回执", "Read receipts";
    NoticeNotRead => "未读", "Not read";
    NoticeSend => "发送", "Send";
    NoticeSent => "已发送", "Sent";
    NoticeTargetsHint => "不选则发给你负责的全部网格的工作人员", "Leave empty to send to the staff of your whole area";
    NoticeUnreadCount => "{n} 条未读通知", "{n} unread notices";
    MissingTitle => "寻人启事", "Missing persons";
    MissingEmpty => "目前没有寻人启事", "No one is missing right now";
    MissingNew => "发布寻人启事", "Post a missing person";
    MissingName => "姓名", "Name";
    MissingAge => "年龄", "Age";
    MissingAgeUnknown => "年龄不详", "Age unknown";
    MissingDescription => "体貌特征、衣着", "Appearance and clothing";
    MissingLastSeen => "最后出现地点", "Last seen at";
    MissingPosted => "发布", "Posted";
    MissingFound => "已找到", "Found";
    MissingOpen => "寻找中", "Searching";
    MissingMarkFound => "人已找到，结束启事", "Found: close the notice";
    MissingFoundNote => "找到经过（可选）", "How they were found (optional)";
    MissingTips => "线索", "Tips";
    MissingNoTips => "还没有线索", "No tips yet";
    MissingTipsMap => "线索地图", "Tips on the map";
    MissingSendTip => "提供线索", "Send a tip";
    MissingTipText => "您看到了什么？在哪里、什么时候？", "What did you see, where and when?";
    MissingTipAttachPosition => "附上我现在的位置", "Add my current position";
    MissingTipThanks => "谢谢！线索已送到网格员手中。", "Thank you: your tip has reached the grid staff.";
    MissingTipsSent => "您已提供 {n} 条线索", "You have sent {n} tips";
    MissingSignInToTip => "登录后可提供线索", "Sign in to send a tip";
    MissingCall => "如有消息，也可拨打 110 或联系网格员", "You can also call 110 or your grid worker";
    MissingPinHint => "可点地图标出最后出现的位置", "Tap the map to mark where they were last seen";
    MissingLastSeenSpot => "最后出现", "Last seen";
    HomeMissingHint => "帮忙寻找走失的老人和孩子", "Help find people who are missing";
    HomeNoticesHint => "街道和社区发给工作人员的通知", "Notices from the street and community";
    PushTitle => "手机通知", "Phone notifications";
    PushExplain => "开启后，即使没打开本网站，预警和寻人启事也会推送到这部手机。", "Alerts and missing-person notices reach this phone even when the site is closed.";
    PushEnable => "开启推送通知", "Turn on notifications";
    PushDisable => "关闭推送通知", "Turn off notifications";
    PushOn => "本机已开启推送通知", "Notifications are on for this phone";
    PushUnsupported => "这个浏览器不支持推送通知", "This browser cannot receive push notifications";
    PushDenied => "通知权限被拒绝，请在浏览器设置中允许", "Notifications are blocked: allow them in the browser settings";
    PushFailed => "开启失败，请稍后再试", "Could not turn on notifications; try again later";
    ErrShiftAlready => "您已报名这个班次", "You have already signed up for this";
    ErrShiftCapacity => "名额应为 1–500 人", "Seats must be 1 to 500";
    ErrShiftCheckinTime => "现在不在签到/签退时间内（开始前 30 分钟至结束）", "Check-in is open from 30 minutes before the start to the end";
    ErrShiftClosed => "该班次已取消或已开始，不能报名", "This shift was called off or has started";
    ErrShiftCutoff => "取消截止时间最多提前 168 小时", "The cancellation cut-off is at most 168 hours";
    ErrShiftCutoffPassed => "已过取消截止时间，如有变化请联系协调员", "Past the cancellation cut-off: please call the coordinator";
    ErrShiftDate => "请填写日期和时间", "Enter a date and a time";
    ErrShiftMinSeats => "最少人数不能超过名额", "The minimum cannot exceed the seats";
    ErrShiftMinutes => "时长应为 15–720 分钟", "Length must be 15 to 720 minutes";
    ErrShiftNotCheckedIn => "请先签到", "Check in first";
    ErrShiftNotSeated => "您没有这个班次的名额", "You do not have a seat on this shift";
    ErrShiftOverlap => "与您已报名的另一个班次时间冲突", "It overlaps another shift you signed up for";
    ErrShiftPast => "开始时间应在现在之后", "The start must be in the future";
    ErrShiftSpan => "时间范围无效", "Invalid time range";
    ErrShiftTeam => "这支队伍不在所选网格", "This team is not in the chosen grid";
    ErrShiftToken => "签到码无效，请重新扫码", "Invalid check-in code: scan again";
    ErrRuleWeekdays => "请至少选择星期几中的一天", "Choose at least one weekday";
    ErrRuleEvery => "间隔应为每 1–4 周", "Repeat every 1 to 4 weeks";
    ErrRuleUntil => "结束日期无效或早于第一次", "The end date is not valid or comes before the first one";
    ErrRuleTooLong => "最多排到 26 周以后", "A rule reaches at most 26 weeks ahead";
    ErrRuleExcept => "不排的日期无效（最多 60 个）", "A date left out is not valid (60 at most)";
    ErrRuleEmpty => "按这个规则一次也排不出来", "This rule gives no dates at all";
    Grid => "网格", "Grid";
    ShiftsTitle => "志愿排班", "Volunteer shifts";
    ShiftsEmpty => "这一周还没有班次", "No shifts this week";
    ShiftAllGrids => "全部网格", "All grids";
    ShiftCallOff => "取消这一班（通知已报名的人）", "Call this shift off (tells those signed up)";
    ShiftCalledOff => "已取消", "Called off";
    ShiftCancelledSignup => "已退出", "Withdrawn";
    ShiftCapacity => "名额", "Seats";
    ShiftCertificate => "打印服务时长证明", "Print an hours certificate";
    ShiftCertificateTitle => "志愿服务时长证明", "Volunteer service certificate";
    ShiftCertificateText => "兹证明 {name} 于 {from} 至 {to} 期间参加老街街道志愿服务 {n} 次，累计服务 {t}。", "This certifies that {name} served as a volunteer in Laojie street {n} times from {from} to {to}, {t} in all.";
    ShiftCheckIn => "签到", "Check in";
    ShiftCheckOut => "签退", "Check out";
    ShiftCheckedIn => "已签到", "Checked in";
    ShiftCheckedOutFor => "已签退，本次服务 {t}", "Checked out: {t} served";
    ShiftCheckinLink => "签到链接", "Check-in link";
    ShiftChooseGrid => "请选择网格", "Choose a grid";
    ShiftCount => "次数", "Shifts";
    ShiftCutoff => "提前几小时停止取消", "Cancel until (hours before)";
    ShiftCutoffNote => "开始前 {h} 小时内不能在网上取消，如有变化请联系协调员", "Within {h} hours of the start, call the coordinator to cancel";
    ShiftDate => "日期", "Date";
    ShiftDefaultTitle => "红马甲巡逻", "Red-vest patrol";
    ShiftFull => "已满", "Full";
    ShiftGap => "人手不足", "Short of people";
    ShiftHours => "时长", "Hours";
    ShiftHoursByMonth => "每月服务时长", "Hours by month";
    ShiftHoursValue => "{h} 小时 {m} 分", "{h} h {m} min";
    ShiftJoinWaitlist => "已满，排队候补", "Full: join the waitlist";
    ShiftJoinedSeat => "报名成功", "You have a seat";
    ShiftJoinedWaitlist => "已加入候补，排第 {n} 位；有人退出时会通知您", "On the waitlist, number {n}; we will tell you if a seat frees up";
    ShiftKind => "类型", "Kind";
    ShiftKindEvent => "社区活动", "Community event";
    ShiftKindPatrol => "巡逻", "Patrol";
    ShiftLeave => "取消报名", "Cancel my sign-up";
    ShiftMinSeats => "最少人数", "Minimum";
    ShiftMine => "我的班次", "My shifts";
    ShiftMineEmpty => "还没有报名的班次", "No shifts signed up";
    ShiftMinutes => "时长（分钟）", "Length (minutes)";
    ShiftMonth => "月份", "Month";
    ShiftMyHours => "我的服务时长", "My volunteer hours";
    ShiftNew => "新建班次", "New shift";
    ShiftNextWeek => "下一周", "Next week";
    ShiftNoTeam => "不限队伍", "Any team";
    ShiftNobodyYet => "还没有人报名", "Nobody has signed up yet";
    ShiftNote => "备注", "Note";
    ShiftPlace => "地点", "Place";
    ShiftPrevWeek => "上一周", "Previous week";
    ShiftPrint => "打印", "Print";
    ShiftQrHint => "志愿者用手机扫码即可签到、签退", "Volunteers scan this with their phone to check in and out";
    ShiftQrTitle => "签到二维码", "Check-in QR code";
    ShiftRoster => "名单", "Roster";
    ShiftSave => "保存班次", "Save shift";
    ShiftSeated => "已报名", "Seated";
    ShiftSeats => "已报名", "Signed up";
    ShiftSignInToCheckIn => "请先登录再签到", "Sign in to check in";
    ShiftSignInToJoin => "登录后报名", "Sign in to sign up";
    ShiftSignUp => "我要报名", "Sign me up";
    ShiftTeam => "队伍", "Team";
    ShiftTeamGaps => "队伍不足 2 支的网格", "Grids with fewer than 2 teams";
    ShiftTeamsCount => "队伍", "teams:";
    ShiftThanks => "已签退，感谢您的付出！", "Checked out: thank you!";
    ShiftTime => "开始时间", "Start time";
    ShiftTotal => "合计", "Total";
    ShiftWaiting => "候补", "Waitlisted";
    ShiftWaitingCount => "候补", "waiting";
    ShiftWeek => "周", "Week";
    ShiftRepeat => "重复", "Repeat";
    ShiftRepeatNone => "不重复", "Does not repeat";
    ShiftEveryWeek => "每周", "Every week";
    ShiftEveryNWeeks => "每 {n} 周", "Every {n} weeks";
    ShiftWeekdays => "星期", "Weekdays";
    ShiftUntil => "重复至", "Until";
    ShiftExcept => "不排的日期", "Dates left out";
    ShiftExceptAdd => "加入", "Add";
    ShiftExceptRemove => "移除", "Remove";
    ShiftRule => "重复规则", "Repeat rule";
    ShiftRuleEdit => "修改规则", "Edit the rule";
    ShiftRuleSave => "按新规则更新", "Apply the new rule";
    ShiftRuleHint => "只改以后的班次：新日子照这一班的人数和时长添加；不再需要的班次，没人报名的删除，有人报名的取消并通知报名者。", "Only future shifts change: new dates copy this shift's seats and length; shifts no longer needed are deleted when nobody signed up, otherwise called off and the people told.";
    ShiftRuleDone => "已更新：新增 {a} 次，删除 {r} 次，取消 {c} 次，恢复 {s} 次", "Updated: {a} added, {r} deleted, {c} called off, {s} restored";
    ShiftWhen => "时间", "When";
    HomeShiftsHint => "红马甲巡逻、社区活动，手机报名", "Red-vest patrols and community events";
    RosterColDate => "日期", "Date";
    RosterColTime => "时间", "Time";
    RosterColTitle => "名称", "Title";
    RosterColCapacity => "名额", "Seats";
    RosterColStatus => "状态", "Status";
    RosterColNames => "已报名志愿者", "Volunteers seated";
    RosterColCheckedIn => "已签到", "Checked in";
    RosterOk => "正常", "OK";
    RosterExport => "导出本周排班", "Export this week";
    CalendarTitle => "订阅我的班次日历", "Subscribe to my shifts";
    CalendarHint => "把这个私人链接添加到手机日历（订阅日历），报名的班次会自动出现。不要分享给别人。", "Add this private link to your phone's calendar (subscribe); the shifts you sign up for appear by themselves. Do not share it.";
    CalendarShow => "显示我的日历链接", "Show my calendar link";
    CalendarRenew => "换一个新链接（旧链接作废）", "Make a new link (the old one stops working)";
    EventsTitle => "社区活动", "Community events";
    EventsEmpty => "近期没有社区活动", "No community events coming up";
    HomeEventsHint => "百家宴、写春联、文艺演出，报名参加", "Neighbourhood feasts, couplets, performances";
    CouncilTitle => "闲事会", "Seniors' council";
    StudyTitle => "学习积分", "Study points";
    HomeStudyHint => "每日签到、每日答题，攒学习积分", "Sign in daily, take the daily quiz, earn study points";
    StudySignInActivity => "每日签到", "Daily sign-in";
    StudyReading => "阅读文章", "Reading";
    StudyDailyQuiz => "每日答题", "Daily quiz";
    StudyWeeklyQuiz => "每周答题", "Weekly quiz";
    StudyMeeting => "三会一课", "Party meetings";
    StudySingle => "单选题", "Single choice";
    StudyMultiple => "多选题", "Multiple choice";
    StudyJudge => "判断题", "True or false";
    StudyBlank => "填空题", "Fill in the blank";
    StudyTotal => "总积分", "Total points";
    StudyMonth => "本月积分", "This month";
    StudyStreak => "连续学习", "Streak";
    StudyDays => "{n} 天", "{n} days";
    StudyRankMonth => "本月街道排名", "Street rank this month";
    StudyRankTotal => "总排名", "Overall rank";
    StudyRankOf => "第 {n} 名", "No. {n}";
    StudyNoRank => "暂无", "None yet";
    StudyToday => "今日积分", "Today's points";
    StudySignIn => "签到", "Sign in for today";
    StudySignedIn => "今日已签到", "Signed in today";
    StudySignInDone => "签到成功，+{n} 分", "Signed in: +{n} points";
    StudyStartQuiz => "开始每日答题", "Start the daily quiz";
    StudyAnotherQuiz => "再答一组", "Another round";
    StudyQuizLeft => "今日题库还剩 {n} 题", "{n} questions left for today";
    StudySubmit => "交卷", "Hand in";
    StudyResult => "答对 {c}/{t} 题，得 {p} 分", "{c} of {t} right: {p} points";
    StudyRightAnswer => "正确答案", "Right answer";
    StudyYourAnswer => "您的答案", "Your answer";
    StudyRight => "✓ 正确", "✓ Right";
    StudyWrong => "✗ 错误", "✗ Wrong";
    StudyTrue => "对", "True";
    StudyFalse => "错", "False";
    StudyNoAnswer => "未作答", "Not answered";
    StudyRankings => "排行榜", "Rankings";
    StudyThisMonth => "本月", "This month";
    StudyAllTime => "总榜", "All time";
    StudyLedger => "积分明细", "Points ledger";
    StudyLedgerEmpty => "还没有积分记录", "No points yet";
    StudyRules => "积分规则", "Points rules";
    OrgCommittee => "大党委", "Party committee";
    OrgBranch => "网格党支部", "Grid party branch";
    OrgGroup => "党小组", "Party group";
    ErrOrgName => "名称不能为空，最多 40 字", "The name is required, at most 40 characters";
    ErrOrgParent => "层级不对：大党委在最上，支部属于大党委，党小组属于支部", "Wrong level: the committee is at the top, branches sit under it, groups under a branch";
    OrgTitle => "党组织架构", "Party organisation";
    OrgHint => "四级体系：社区大党委 → 网格党支部 → 网格党小组 → 党员（中心户）。党员先在用户资料中标为党员，再放进支部或党小组。", "Four levels: the community party committee → grid party branches → party groups → members (central households). Mark a person as a party member first, then place them in a branch or group.";
    OrgCentral => "中心户", "Central household";
    OrgCentralOn => "设为中心户", "Make central household";
    OrgCentralOff => "取消中心户", "No longer central household";
    OrgRemove => "移出", "Take out";
    OrgAddMember => "加入党员", "Add a party member";
    OrgAdd => "添加", "Add";
    OrgNew => "新建{k}", "New {k}";
    ErrOrgMemberPlace => "党员只能放进党支部或党小组", "Members sit in a branch or a group";
    ErrNotPartyMember => "请选择一名党员", "Choose a party member";
    BranchRankings => "支部排名", "Branch rankings";
    BranchRankingsHint => "按人均积分排名，大支部不靠人多取胜", "Ranked by points per member, so a big branch does not win by size";
    BranchPerMember => "人均 {n} 分", "{n} points per member";
    BranchMembers => "{n} 名党员", "{n} members";
    StudyMeetings => "三会一课", "Meetings (三会一课)";
    MeetingsTitle => "三会一课", "Meetings (三会一课)";
    MeetingsUpcoming => "近期会议", "Coming meetings";
    MeetingsPast => "往期会议", "Past meetings";
    MeetingsNone => "暂无会议", "No meetings";
    MeetingsAttendance => "出勤率", "Attendance";
    MeetingsPerBranch => "各支部", "Per branch";
    MeetingsPerMember => "党员", "Per member";
    MeetingsNoRates => "还没有结束的会议", "No finished meetings yet";
    MeetingAssembly => "支部党员大会", "Branch assembly";
    MeetingCommittee => "支委会", "Branch committee meeting";
    MeetingGroup => "党小组会", "Party group meeting";
    MeetingLecture => "党课", "Party lecture";
    MeetingAttended => "到会 {a} / {n} 人", "{a} of {n} attended";
    MeetingCheckedIn => "已签到", "Checked in";
    MeetingCheckedInPoints => "已签到，积分 +{n}", "Checked in, +{n} points";
    MeetingExpected => "待参加", "Expected";
    MeetingAbsent => "未到", "Absent";
    MeetingCall => "召开会议", "Call a meeting";
    MeetingCallHint => "组织下的全体党员列入名单并收到通知（已开启通知的手机会收到推送）", "Every member under the organisation is listed and told (phones with notifications on get a push)";
    MeetingOrg => "组织", "Organisation";
    MeetingKindLabel => "会议类型", "Kind of meeting";
    MeetingTitleLabel => "会议主题", "Subject";
    MeetingDate => "日期", "Date";
    MeetingTime => "时间", "Time";
    MeetingPlace => "地点", "Place";
    MeetingQr => "签到二维码", "Check-in QR code";
    MeetingQrHint => "会前 1 小时至会后 4 小时内，党员用手机扫码签到", "Members scan it with their phones from an hour before to four hours after the start";
    MeetingScanHint => "到会后扫描会场的二维码签到", "Scan the QR code at the meeting to check in";
    MeetingList => "参会名单", "Attendance list";
    MeetingMinutes => "会议记录", "Minutes";
    MeetingNoMinutes => "会议记录尚未填写", "No minutes yet";
    MeetingCheckIn => "会议签到", "Check in";
    MeetingOpen => "查看会议", "Open the meeting";
    MeetingCheckInLink => "签到链接（可发到群里）", "Check-in link (to share in the group chat)";
    ErrMeetingOrg => "请选择组织", "Choose an organisation";
    ErrMeetingKind => "这类会议不由该组织召开：支部党员大会、支委会由支部开，党小组会由党小组开", "This organisation does not hold this kind of meeting: branches hold assemblies and committee meetings, groups hold group meetings";
    ErrMeetingTitle => "请填写会议主题，最多 60 字", "Give the subject, at most 60 characters";
    ErrMeetingWhen => "请填写正确的日期和时间", "Give a valid date and time";
    ErrMeetingPlace => "请填写地点，最多 60 字", "Give the place, at most 60 characters";
    ErrMinutesLong => "会议记录最多 5000 字", "Minutes are at most 5000 characters";
    ErrMeetingToken => "二维码不对，请重新扫描会场的二维码", "This QR code is not this meeting's; scan the one at the meeting again";
    ErrMeetingNotListed => "您不在本次会议的名单上", "You are not on this meeting's list";
    ErrMeetingClosed => "签到时间为会前 1 小时至会后 4 小时", "Check-in is open from an hour before to four hours after the start";
    LessonsTitle => "课程学习", "Lessons";
    LessonsEmpty => "还没有课程", "No courses yet";
    LessonsDone => "已学完 {d} / {n} 课", "{d} of {n} lessons learnt";
    LessonsDoneLabel => "课程进度", "Course progress";
    LessonsStart => "开始学习", "Start";
    LessonsResume => "继续学习", "Go on";
    LessonNew => "未学", "Not started";
    LessonOpened => "学习中", "Started";
    LessonRead => "已读完", "Read to the end";
    LessonCompleted => "已学完", "Learnt";
    LessonMinutes => "约 {n} 分钟", "about {n} min";
    LessonMicro => "微党课", "Micro lesson";
    LessonAudio => "音频", "Audio";
    LessonVideo => "视频", "Video";
    LessonOff => "已停用", "Taken out";
    LessonAdd => "添加课时", "Add a lesson";
    CourseNew => "新建课程", "New course";
    CourseSummary => "简介", "Summary";
    LessonTitleLabel => "标题", "Title";
    LessonPoints => "学完了，积分 +{n}", "Learnt: +{n} points";
    LessonLearnt => "学完了（今天的阅读积分已满或已得过）", "Learnt (today's reading points are full or were given before)";
    LessonMediaLink => "音视频打不开？点这里在新窗口打开", "Media not playing? Open it in a new window";
    LessonComplete => "学完了", "I have learnt this";
    LessonCompleteHint => "读到最后才能标记学完，每课得一次阅读积分。", "Read to the end first; each lesson earns reading points once.";
    LessonPrev => "上一课", "Previous";
    LessonNext => "下一课", "Next";
    LessonEdit => "编辑本课", "Edit this lesson";
    LessonEditTitle => "编辑课时", "Edit a lesson";
    LessonCourse => "所属课程", "Course";
    LessonChooseCourse => "请选择课程", "Choose a course";
    LessonMinutesLabel => "学习时长（分钟）", "Minutes to learn";
    LessonMicroLabel => "微党课（短课）", "Micro party lesson (short)";
    LessonMediaLabel => "音视频", "Audio or video";
    LessonMediaNone => "无", "None";
    LessonMediaUrl => "音视频地址（https://…）", "Audio or video address (https://…)";
    LessonBodyLabel => "正文（Markdown）", "Text (Markdown)";
    LessonBodyHint => "# 标题，**加粗**，- 列表，![说明](图片地址)，[文字](链接)。网页代码会被去掉。", "# heading, **bold**, - list, ![caption](image address), [text](link). HTML code is removed.";
    LessonPreview => "预览", "Preview";
    StudyLessons => "课程学习", "Lessons";
    ErrLessonTitle => "标题不能为空，最多 80 字", "The title is required, at most 80 characters";
    ErrCourseSummary => "简介最多 300 字", "The summary has at most 300 characters";
    ErrLessonBody => "正文不能为空，最多 20000 字", "The text is required, at most 20,000 characters";
    ErrLessonMediaKind => "填了音视频地址，请选择音频或视频", "You gave a media address: choose audio or video";
    ErrLessonMediaUrl => "音视频地址应以 https:// 或 http:// 开头，不含空格", "The media address must start with https:// or http:// and have no spaces";
    ErrLessonMinutes => "学习时长应为 1–240 分钟", "Minutes must be 1 to 240";
    ErrLessonPosition => "阅读位置不对", "That reading position is not valid";
    ErrLessonNotRead => "请先读到最后再标记学完", "Read to the end before marking it learnt";
    ErrLessonCourse => "请选择课程", "Choose a course";
    StudyPerTime => "每次 {p} 分，每天最多 {c} 分", "{p} per time, at most {c} a day";
    StudyRulePoints => "每次得分", "Points per time";
    StudyRuleCap => "每日上限", "Daily cap";
    StudyRuleActive => "启用", "Active";
    StudyRuleSave => "保存", "Save";
    StudyRuleSaved => "已保存", "Saved";
    StudyPointsUnit => "分", "pts";
    ErrStudyPoints => "每次得分应为 1–100", "Points per time must be 1 to 100";
    ErrStudyCap => "每日上限应不小于每次得分，且不超过 1000", "The daily cap must be at least the points per time and at most 1000";
    ErrStudyRuleOff => "这项积分规则未启用", "This points rule is switched off";
    ErrStudySignedIn => "今天已经签到过了", "You have already signed in today";
    ErrStudyNoQuestions => "今天的题都答过了，明天再来", "You have had every question today; come back tomorrow";
    ErrStudyAnswer => "答案太长或太多", "Too many or too long answers";
    ErrStudyNoWrong => "错题本是空的", "Your wrong-answer book is empty";
    StudyWrongBook => "错题本", "Wrong-answer book";
    StudyWrongHint => "答错的题会留在这里，再答对两次才移出。", "Questions you got wrong stay here until you answer them right twice.";
    StudyReview => "练习错题", "Practise them";
    StudyReviewTitle => "错题练习（不计分）", "Practice round (no points)";
    StudyRightTimes => "已答对 {n} 次", "Right {n} times since";
    ErrQuestionKind => "题型应为单选、多选、判断或填空", "The kind must be 单选, 多选, 判断 or 填空";
    ErrQuestionStem => "题干不能为空，最多 300 字", "The question is required, at most 300 characters";
    ErrQuestionOptions => "选择题至少两个选项，每个最多 100 字", "A choice question needs at least two options of at most 100 characters";
    ErrQuestionAnswer => "答案与题型不符（单选一个字母、多选至少两个、判断写对或错、填空写文字）", "The answer does not fit the kind (one letter, two or more letters, 对/错, or the text)";
    ErrQuestionExplanation => "解析最多 500 字", "The explanation has at most 500 characters";
    QuestionsTitle => "题库", "Question bank";
    QuestionsManage => "管理题库", "Question bank";
    QuestionsImport => "导入题库", "Import questions";
    QuestionsImportHint => "CSV 或 XLSX，第一行为表头：题型、题干、选项A–选项F、答案、解析。题干相同的题会被更新。有任何一行出错则全部不导入。", "CSV or XLSX; the first row names the columns: 题型 (kind), 题干 (question), 选项A–选项F (options), 答案 (answer), 解析 (explanation). A question already in the bank is updated. If any row is wrong, nothing is imported.";
    QuestionsImportDone => "导入完成：新增 {c} 题，更新 {u} 题", "Imported: {c} new, {u} updated";
    QuestionsImportFailed => "文件有 {n} 处问题，未导入任何题目：", "The file has {n} problems; nothing was imported:";
    QuestionsTemplate => "下载模板（XLSX）", "Download the template (XLSX)";
    QuestionsCount => "共 {n} 题", "{n} questions";
    QuestionInUse => "使用中", "In use";
    QuestionOff => "停用", "Take out";
    QuestionEdit => "编辑", "Edit";
    RoundsTitle => "每周答题与专题测验", "Weekly quiz and special quizzes";
    RoundWeekly => "每周答题", "Weekly quiz";
    RoundWeeklyHint => "每周一轮，共 {n} 题，只能答一次，答对有积分", "One round a week, {n} questions, taken once; right answers earn points";
    RoundStartWeekly => "开始本周答题", "Start this week's quiz";
    RoundResume => "继续作答", "Go on answering";
    RoundDone => "已完成：答对 {c} / {n} 题", "Done: {c} of {n} right";
    RoundSpecial => "专题测验", "Special quiz";
    RoundLimit => "{q} 题 · 限时 {m} 分钟 · {from} 至 {to}", "{q} questions · {m} minutes · {from} to {to}";
    RoundStart => "开始测验", "Start the quiz";
    RoundTimeLeft => "剩余时间", "Time left";
    RoundTimeUp => "时间到，正在交卷", "Time is up, handing in";
    RoundNone => "目前没有专题测验", "No special quiz open now";
    RoundNew => "新建专题测验", "New special quiz";
    RoundTitle => "测验名称", "Title";
    RoundQuestions => "题数", "Questions";
    RoundMinutes => "限时（分钟）", "Time limit (minutes)";
    RoundOpens => "开始日期", "Opens";
    RoundCloses => "截止日期", "Closes (inclusive)";
    RoundCreated => "专题测验已发布", "Special quiz published";
    ErrRoundTitle => "请填写测验名称，最多 40 字", "Give a title, at most 40 characters";
    ErrRoundQuestions => "题数为 1 到 30", "Between 1 and 30 questions";
    ErrRoundMinutes => "限时为 1 到 120 分钟", "A limit of 1 to 120 minutes";
    ErrRoundDates => "请填写正确的开始和截止日期（截止不早于开始）", "Give valid dates; the close is not before the opening";
    ErrRoundClosed => "这轮测验现在不开放", "This quiz is not open now";
    ErrRoundTaken => "这轮测验您已经答过了", "You have already taken this quiz";
    ErrRoundTooLate => "已超过答题时间，本次成绩按 0 分计", "Handed in after the time limit: this take scores nothing";
    QuestionNew => "新增题目", "New question";
    QuestionKindLabel => "题型", "Kind";
    QuestionStem => "题干", "Question";
    QuestionOptions => "选项（每行一个，最多 6 个，依次为 A、B、C…）", "Options (one per line, at most 6: A, B, C…)";
    QuestionAnswer => "答案（单选写一个字母，多选写几个字母，判断写对或错，填空写答案）", "Answer (a letter, several letters, 对/错, or the text)";
    QuestionExplanation => "解析", "Explanation";
    QuestionSaved => "题目已保存", "Question saved";
    ErrQuestionDuplicate => "题库里已有同样题干的题目", "The bank already has a question with this text";
    QuestionOn => "启用", "Put back";
    ErrStudySubmitted => "这组题已经交过卷了", "This quiz was already handed in";
    HomeCouncilHint => "身边的“闲事”说出来，老党员老干部帮着办", "Raise a neighbourhood matter; the council takes it up";
    CouncilIntro => "居民提出身边的事，大家支持；闲事会每周三开会议事，结果会告诉提出人。", "Residents raise matters and support each other's; the council meets every Wednesday and tells the raiser the outcome.";
    CouncilRaise => "我要提一件事", "Raise a matter";
    CouncilRaiseTitle => "标题", "Title";
    CouncilRaiseBody => "具体情况", "What is it about";
    CouncilRaiseSend => "提交", "Submit";
    CouncilRaised => "已提交，感谢您关心社区！", "Submitted: thank you for caring";
    CouncilSignInToRaise => "登录后可以提事、支持", "Sign in to raise or support a matter";
    CouncilNextMeeting => "下次议事（周三）", "Next meeting (Wednesday)";
    CouncilAgenda => "本次议程", "On the agenda";
    CouncilAgendaEmpty => "议程还是空的", "Nothing on the agenda yet";
    CouncilOpenList => "大家提的事", "Matters raised";
    CouncilOpenEmpty => "还没有人提事", "Nothing raised yet";
    CouncilCarried => "往期未结", "Carried over";
    CouncilDecidedList => "已有结果", "Decided";
    CouncilOpen => "征集支持", "Gathering support";
    CouncilOnAgenda => "已列入议程", "On the agenda";
    CouncilDecided => "已有结果", "Decided";
    CouncilSupport => "支持", "Support";
    CouncilSupported => "已支持", "Supported";
    CouncilSupporters => "人支持", "supporters";
    CouncilRaisedBy => "提出人", "Raised by";
    CouncilSchedule => "列入周三议程", "Put on Wednesday's agenda";
    CouncilOutcome => "议事结果", "Outcome";
    CouncilMakeTicket => "同时转为工单（类别）", "Also open a ticket (category)";
    CouncilNoTicket => "不转工单", "No ticket";
    CouncilDecide => "记录结果并告知提出人", "Record and tell the raiser";
    CouncilTicket => "工单", "Ticket";
    CouncilMine => "我提的", "Mine";
    ErrConcernDecided => "这件事已经有结果了", "This matter has been decided";
    ErrConcernNotOnAgenda => "这件事不在议程上", "This matter is not on the agenda";
    ErrTeamNoAccount => "没有用这个手机号注册的账号，请先让他注册", "No account with this phone number: ask them to sign up first";
    ErrTeamNotMember => "只能从队员中选队长", "The leader must be a member";
    TeamsTitle => "志愿队伍", "Volunteer teams";
    TeamsManage => "管理队伍", "Manage teams";
    TeamNew => "新建队伍", "New team";
    TeamName => "队名", "Team name";
    TeamCreate => "建立队伍", "Create team";
    TeamLeader => "队长", "Leader";
    TeamNoLeader => "未设队长", "No leader";
    TeamMembers => "队员", "Members";
    TeamNoMembers => "还没有队员", "No members yet";
    TeamInactive => "已停用", "Inactive";
    TeamEdit => "编辑", "Edit";
    TeamClose => "收起", "Close";
    TeamRename => "改名", "Rename";
    TeamDeactivate => "停用队伍", "Deactivate";
    TeamActivate => "重新启用", "Reactivate";
    TeamAddPhone => "添加队员（手机号）", "Add a member (phone)";
    TeamAdd => "添加", "Add";
    TeamRemove => "移出", "Remove";
    TeamMakeLeader => "设为队长", "Make leader";
    ErrConcernOwn => "自己提的事不用再支持", "You raised this one yourself";
    AccountUnverified => "账号待核实", "Account not yet confirmed";
    ConfirmInPerson => "当面核实", "Confirmed in person";
    ConfirmByPhone => "电话核实", "Confirmed by phone";
    AccountConfirmHint => "核实是本人的号码后，她的预警回复才算数", "Only once the number is confirmed as theirs do this account's alert answers count for this person";
    ErrNoAccount => "这个号码还没有注册账号", "No account uses this number yet";
    ErrAlreadyConfirmed => "已经核实过了", "Already confirmed";
    PhoneUnverifiedNote => "你的手机号还没有核实。请网格员当面或电话核实后，你的预警回复才会计入所在网格。", "Your phone number is not confirmed yet. Once your grid worker confirms it (in person or by phone), your answers to alerts count for your grid.";
    ErrBadRequest => "请求的格式不对", "The request was not in the expected form";
    AuditFilterActor => "操作人", "Who";
    AuditFilterSubject => "涉及对象", "Whose data";
    AuditFilterAction => "操作", "Action";
    AuditFilterFrom => "从", "From";
    AuditFilterTo => "到", "To";
    AuditFilter => "筛选", "Filter";
    AuditOlder => "更早的记录", "Older entries";
    AuditCount => "共 {n} 条", "{n} entries";
    ErrDateRange => "日期超出允许的范围", "The date is outside the allowed range";
    ErrGeometryOpen => "轮廓没有闭合：每个环的最后一个点必须和第一个点相同", "An outline is not closed: each ring must end at its first point";
    ErrGeometryInvalid => "轮廓无效：边相互交叉，或面积为零", "An outline is not valid: its edges cross, or it has no area";
    ErrGeometryTooBig => "轮廓太大或点太多", "An outline is too large or has too many points";
    ErrGridCodeTwice => "同一个网格编码在文件里出现了两次", "The same grid code appears twice in the file";
    ErrSearchTooLong => "搜索词太长", "The search text is too long";
}

/// The English switch in the shell flips this; the server reads it from the cookie.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    msg.text(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing() {
        assert_eq!(Lang::from_cookie_header("a=b; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }

    #[test]
    fn messages_travel_by_name() {
        for &m in Msg::ALL {
            let json = serde_json::to_string(&m).expect("serialize");
            assert_eq!(json, format!("\"{}\"", m.name()));
            assert_eq!(serde_json::from_str::<Msg>(&json).expect("deserialize"), m);
            assert_eq!(format!("{m:?}"), m.name());
        }
        assert!(serde_json::from_str::<Msg>("\"NoSuchKey\"").is_err());
        assert_eq!(Msg::ALL.len(), Msg::NAMES.len());
        assert_eq!(Msg::ALL.len(), Msg::TEXTS.len());
    }

    #[test]
    fn every_message_has_text_in_both_languages() {
        for m in Msg::ALL {
            assert!(!m.text(Lang::Zh).is_empty(), "{m:?}");
            assert!(!m.text(Lang::En).is_empty(), "{m:?}");
        }
    }
}
