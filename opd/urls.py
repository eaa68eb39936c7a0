app_name = "opd"

urlpatterns = []
