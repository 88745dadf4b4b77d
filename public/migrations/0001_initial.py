# The public page's content models, moved here from `portal` (portal/migrations/0004): this
# migration only tells Django that `public` now owns them. The tables were created by
# portal/migrations/0003_public_information_page.py and keep their names (db_table below), so
# nothing is created, copied or dropped in the database.

import django.core.validators
import django.db.models.deletion
import public.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # After portal has let go of the models (its tables, with the facility foreign key, are
        # made by portal 0003, which this depends on through 0004).
        ('portal', '0004_public_models_move_to_public'),
        ('facilities', '0009_facility_managers_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Article',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                        ('slug', models.SlugField(blank=True, help_text='Để trống để tạo từ tiêu đề.', max_length=200, verbose_name='đường dẫn')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('published', 'Đã đăng')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('published_at', models.DateTimeField(blank=True, help_text='Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng.', null=True, verbose_name='thời điểm đăng')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                        ('kind', models.CharField(choices=[('news', 'Tin tức'), ('guidance', 'Hướng dẫn')], max_length=10, verbose_name='loại bài')),
                        ('summary', models.CharField(help_text='Một hai câu: hiện trong danh sách và làm mô tả trang cho công cụ tìm kiếm.', max_length=300, verbose_name='tóm tắt')),
                        ('body', models.TextField(help_text='HTML đơn giản: đoạn văn (p), tiêu đề (h2–h4), chữ đậm (strong), nghiêng (em), danh sách (ul, ol, li), liên kết (a href), bảng (table), trích dẫn (blockquote). Các thẻ khác (script, style, ảnh, thuộc tính sự kiện) bị loại bỏ khi lưu.', verbose_name='nội dung')),
                        ('image', models.ImageField(blank=True, upload_to='public/images/%Y/', validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg', 'webp']), public.models.validate_image], verbose_name='ảnh minh họa')),
                        ('image_alt', models.CharField(blank=True, help_text='Cho người đọc không nhìn thấy ảnh.', max_length=200, verbose_name='mô tả ảnh')),
                    ],
                    options={
                        'verbose_name': 'bài viết',
                        'verbose_name_plural': 'bài viết',
                        'db_table': 'portal_article',
                        'ordering': ['-published_at', '-pk'],
                        'abstract': False,
                        'constraints': [models.CheckConstraint(condition=models.Q(('status', 'draft'), ('published_at__isnull', False), _connector='OR'), name='portal_article_published_has_date')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalArticle',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                        ('slug', models.SlugField(blank=True, help_text='Để trống để tạo từ tiêu đề.', max_length=200, verbose_name='đường dẫn')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('published', 'Đã đăng')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('published_at', models.DateTimeField(blank=True, help_text='Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng.', null=True, verbose_name='thời điểm đăng')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='cập nhật lúc')),
                        ('kind', models.CharField(choices=[('news', 'Tin tức'), ('guidance', 'Hướng dẫn')], max_length=10, verbose_name='loại bài')),
                        ('summary', models.CharField(help_text='Một hai câu: hiện trong danh sách và làm mô tả trang cho công cụ tìm kiếm.', max_length=300, verbose_name='tóm tắt')),
                        ('body', models.TextField(help_text='HTML đơn giản: đoạn văn (p), tiêu đề (h2–h4), chữ đậm (strong), nghiêng (em), danh sách (ul, ol, li), liên kết (a href), bảng (table), trích dẫn (blockquote). Các thẻ khác (script, style, ảnh, thuộc tính sự kiện) bị loại bỏ khi lưu.', verbose_name='nội dung')),
                        ('image', models.TextField(blank=True, max_length=100, validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg', 'webp']), public.models.validate_image], verbose_name='ảnh minh họa')),
                        ('image_alt', models.CharField(blank=True, help_text='Cho người đọc không nhìn thấy ảnh.', max_length=200, verbose_name='mô tả ảnh')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical bài viết',
                        'verbose_name_plural': 'historical bài viết',
                        'db_table': 'portal_historicalarticle',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalCaseStudy',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                        ('slug', models.SlugField(blank=True, help_text='Để trống để tạo từ tiêu đề.', max_length=200, verbose_name='đường dẫn')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('published', 'Đã đăng')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('published_at', models.DateTimeField(blank=True, help_text='Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng.', null=True, verbose_name='thời điểm đăng')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='cập nhật lúc')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='năm thực hiện')),
                        ('summary', models.CharField(max_length=300, verbose_name='tóm tắt')),
                        ('body', models.TextField(help_text='HTML đơn giản: đoạn văn (p), tiêu đề (h2–h4), chữ đậm (strong), nghiêng (em), danh sách (ul, ol, li), liên kết (a href), bảng (table), trích dẫn (blockquote). Các thẻ khác (script, style, ảnh, thuộc tính sự kiện) bị loại bỏ khi lưu.', verbose_name='câu chuyện')),
                        ('investment_vnd', models.DecimalField(blank=True, decimal_places=0, max_digits=18, null=True, verbose_name='vốn đầu tư (đồng)')),
                        ('yearly_savings_vnd', models.DecimalField(blank=True, decimal_places=0, max_digits=18, null=True, verbose_name='tiết kiệm mỗi năm (đồng)')),
                        ('energy_saved_toe', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='năng lượng tiết kiệm (TOE/năm)')),
                        ('water_saved_m3', models.DecimalField(blank=True, decimal_places=1, max_digits=14, null=True, verbose_name='nước tiết kiệm (m³/năm)')),
                        ('consent_given', models.BooleanField(default=False, verbose_name='cơ sở đồng ý công bố')),
                        ('consent_on', models.DateField(blank=True, null=True, verbose_name='ngày đồng ý')),
                        ('consent_reference', models.CharField(blank=True, help_text='Số công văn hoặc biên bản cơ sở đồng ý công bố (không hiện công khai).', max_length=200, verbose_name='văn bản đồng ý')),
                        ('image', models.TextField(blank=True, max_length=100, validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg', 'webp']), public.models.validate_image], verbose_name='ảnh minh họa')),
                        ('image_alt', models.CharField(blank=True, max_length=200, verbose_name='mô tả ảnh')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('facility', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='facilities.facility', verbose_name='cơ sở')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical điển hình SXSH',
                        'verbose_name_plural': 'historical điển hình SXSH',
                        'db_table': 'portal_historicalcasestudy',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPublicDocument',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                        ('slug', models.SlugField(blank=True, help_text='Để trống để tạo từ tiêu đề.', max_length=200, verbose_name='đường dẫn')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('published', 'Đã đăng')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('published_at', models.DateTimeField(blank=True, help_text='Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng.', null=True, verbose_name='thời điểm đăng')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='cập nhật lúc')),
                        ('kind', models.CharField(choices=[('plan', 'Kế hoạch'), ('decision', 'Quyết định, văn bản chỉ đạo'), ('guide', 'Tài liệu hướng dẫn'), ('template', 'Biểu mẫu'), ('other', 'Tài liệu khác')], max_length=10, verbose_name='loại tài liệu')),
                        ('number', models.CharField(blank=True, max_length=60, verbose_name='số, ký hiệu')),
                        ('issued_on', models.DateField(blank=True, null=True, verbose_name='ngày ban hành')),
                        ('issued_by', models.CharField(blank=True, max_length=200, verbose_name='cơ quan ban hành')),
                        ('description', models.TextField(blank=True, verbose_name='mô tả')),
                        ('file', models.TextField(max_length=100, validators=[django.core.validators.FileExtensionValidator(['pdf', 'docx', 'xlsx']), public.models.validate_document], verbose_name='tệp (PDF, DOCX, XLSX)')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical tài liệu công khai',
                        'verbose_name_plural': 'historical tài liệu công khai',
                        'db_table': 'portal_historicalpublicdocument',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PublicDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                        ('slug', models.SlugField(blank=True, help_text='Để trống để tạo từ tiêu đề.', max_length=200, verbose_name='đường dẫn')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('published', 'Đã đăng')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('published_at', models.DateTimeField(blank=True, help_text='Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng.', null=True, verbose_name='thời điểm đăng')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                        ('kind', models.CharField(choices=[('plan', 'Kế hoạch'), ('decision', 'Quyết định, văn bản chỉ đạo'), ('guide', 'Tài liệu hướng dẫn'), ('template', 'Biểu mẫu'), ('other', 'Tài liệu khác')], max_length=10, verbose_name='loại tài liệu')),
                        ('number', models.CharField(blank=True, max_length=60, verbose_name='số, ký hiệu')),
                        ('issued_on', models.DateField(blank=True, null=True, verbose_name='ngày ban hành')),
                        ('issued_by', models.CharField(blank=True, max_length=200, verbose_name='cơ quan ban hành')),
                        ('description', models.TextField(blank=True, verbose_name='mô tả')),
                        ('file', models.FileField(upload_to='public/documents/%Y/', validators=[django.core.validators.FileExtensionValidator(['pdf', 'docx', 'xlsx']), public.models.validate_document], verbose_name='tệp (PDF, DOCX, XLSX)')),
                    ],
                    options={
                        'verbose_name': 'tài liệu công khai',
                        'verbose_name_plural': 'tài liệu công khai',
                        'db_table': 'portal_publicdocument',
                        'ordering': ['kind', '-issued_on', '-pk'],
                        'abstract': False,
                        'constraints': [models.CheckConstraint(condition=models.Q(('status', 'draft'), ('published_at__isnull', False), _connector='OR'), name='portal_publicdocument_published_has_date')],
                    },
                ),
                migrations.CreateModel(
                    name='CaseStudy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                        ('slug', models.SlugField(blank=True, help_text='Để trống để tạo từ tiêu đề.', max_length=200, verbose_name='đường dẫn')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('published', 'Đã đăng')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('published_at', models.DateTimeField(blank=True, help_text='Để trống: đăng ngay khi chuyển sang Đã đăng. Ngày sau: hẹn giờ đăng.', null=True, verbose_name='thời điểm đăng')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='năm thực hiện')),
                        ('summary', models.CharField(max_length=300, verbose_name='tóm tắt')),
                        ('body', models.TextField(help_text='HTML đơn giản: đoạn văn (p), tiêu đề (h2–h4), chữ đậm (strong), nghiêng (em), danh sách (ul, ol, li), liên kết (a href), bảng (table), trích dẫn (blockquote). Các thẻ khác (script, style, ảnh, thuộc tính sự kiện) bị loại bỏ khi lưu.', verbose_name='câu chuyện')),
                        ('investment_vnd', models.DecimalField(blank=True, decimal_places=0, max_digits=18, null=True, verbose_name='vốn đầu tư (đồng)')),
                        ('yearly_savings_vnd', models.DecimalField(blank=True, decimal_places=0, max_digits=18, null=True, verbose_name='tiết kiệm mỗi năm (đồng)')),
                        ('energy_saved_toe', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='năng lượng tiết kiệm (TOE/năm)')),
                        ('water_saved_m3', models.DecimalField(blank=True, decimal_places=1, max_digits=14, null=True, verbose_name='nước tiết kiệm (m³/năm)')),
                        ('consent_given', models.BooleanField(default=False, verbose_name='cơ sở đồng ý công bố')),
                        ('consent_on', models.DateField(blank=True, null=True, verbose_name='ngày đồng ý')),
                        ('consent_reference', models.CharField(blank=True, help_text='Số công văn hoặc biên bản cơ sở đồng ý công bố (không hiện công khai).', max_length=200, verbose_name='văn bản đồng ý')),
                        ('image', models.ImageField(blank=True, upload_to='public/images/%Y/', validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg', 'webp']), public.models.validate_image], verbose_name='ảnh minh họa')),
                        ('image_alt', models.CharField(blank=True, max_length=200, verbose_name='mô tả ảnh')),
                        ('facility', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_studies', to='facilities.facility', verbose_name='cơ sở')),
                    ],
                    options={
                        'verbose_name': 'điển hình SXSH',
                        'verbose_name_plural': 'điển hình SXSH',
                        'db_table': 'portal_casestudy',
                        'ordering': ['-published_at', '-pk'],
                        'abstract': False,
                        'constraints': [models.CheckConstraint(condition=models.Q(('status', 'draft'), ('published_at__isnull', False), _connector='OR'), name='portal_casestudy_published_has_date'), models.CheckConstraint(condition=models.Q(('consent_given', False), ('consent_on__isnull', False), _connector='OR'), name='portal_casestudy_consent_has_date'), models.CheckConstraint(condition=models.Q(('status', 'draft'), ('consent_given', True), _connector='OR'), name='portal_casestudy_published_with_consent')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
