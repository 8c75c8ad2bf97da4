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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
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
    Call => "拨打", "Call";
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
    Submit => "提交", "Submit";
    Emergency => "紧急", "Emergency";
    EmergencyRule => "紧急事件：{a} 分钟内响应，{o} 分钟内到场", "Emergency: answer within {a} min, on site within {o} min";
    DueIn => "{t}后到期", "due in {t}";
    Overdue => "已超时 {t}", "overdue by {t}";
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
    StResolved => "已办结", "Resolved";
    StClosed => "已关闭", "Closed";
    StRejected => "不予受理", "Rejected";
    StDuplicate => "重复事件", "Duplicate";
    ActAccept => "受理", "Accept";
    ActStart => "到场处置", "On site, start work";
    ActResolve => "办结", "Resolve";
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
    ErrLocation => "位置坐标无效", "Invalid position";
    ErrTooLarge => "文件太大", "The file is too large";
    ErrAfterPhoto => "办结需要上传处理后的照片", "Resolving needs an \"after\" photo";
    ErrReason => "请填写原因", "Please give a reason";
    ErrDuplicateOf => "请指明与哪个事件重复", "Say which ticket this duplicates";
    ErrPhotoType => "只支持 JPEG、PNG、WebP 照片", "Only JPEG, PNG and WebP photos are accepted";
    ErrPhotoPixels => "照片像素过多，请换一张", "The photo has too many pixels; choose another";
    ErrPhotoBroken => "照片已损坏，无法读取", "The photo is damaged and cannot be read";
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
    fn every_message_has_text_in_both_languages() {
        for m in Msg::ALL {
            assert!(!m.text(Lang::Zh).is_empty(), "{m:?}");
            assert!(!m.text(Lang::En).is_empty(), "{m:?}");
        }
    }
}
